/**
 * Saves text as a file the browser downloads: a Blob behind a one-off `<a download>`. Nothing leaves
 * the device: the file is made here, from the wallet's own data.
 */
export function downloadText(filename: string, text: string, type: string): void {
  // A byte-order mark so spreadsheet programs read the Chinese names as UTF-8.
  const parts = type.startsWith('text/csv') ? ['\uFEFF', text] : [text];
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The click starts the download asynchronously: let it take the URL before it is revoked.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
