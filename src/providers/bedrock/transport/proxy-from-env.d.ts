/** proxy-from-env ships no types: the one function this library uses. */
declare module "proxy-from-env" {
  /** The proxy URL for `url` from HTTP(S)_PROXY / ALL_PROXY (lower or upper case), "" when none or NO_PROXY excludes it. */
  export function getProxyForUrl(url: string | URL): string;
}
