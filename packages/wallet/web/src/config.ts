/** The one authority this wallet trusts, as the server that hosts the wallet names it. */
export interface WalletConfig {
  authority: string;
}

export async function loadConfig(): Promise<WalletConfig> {
  const res = await fetch('/config.json', { cache: 'no-cache' });
  const body = (await res.json()) as Partial<WalletConfig>;
  if (typeof body.authority !== 'string') throw new Error('config.json names no authority');
  return { authority: body.authority.replace(/\/+$/, '') };
}
