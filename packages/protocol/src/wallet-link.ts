// The "open wallet" link between a page that shows a request (the authority's sign-in page, a
// platform's counter) and a web wallet on the same device: the wallet's URL with the openid4vp
// request in its fragment, which never reaches a server. Browser-safe.

/** `https://wallet.example/#request=<encoded openid4vp link>`. */
export function walletLink(walletUrl: string, requestUri: string): string {
  return `${walletUrl}#request=${encodeURIComponent(requestUri)}`;
}

/**
 * An "open wallet" link (`https://wallet.example/#request=<encoded openid4vp link>`, what the
 * authorization page and the counter link to) carries the request in its fragment: unwrapped, so
 * any wallet, the CLI included, can answer a link copied from the page. Anything else is as given.
 */
export function unwrapWalletLink(link: string): string {
  const wrapped = /#(?:request|scanned)=([^#&]+)$/.exec(link.trim())?.[1];
  if (!wrapped) return link.trim();
  try {
    return decodeURIComponent(wrapped);
  } catch {
    return link.trim();
  }
}
