// The web shell's access token on the page: `kairos-factory web` prints an address ending in
// #token=..., a fragment browsers never send to a server (nor put in a Referer). The page reads it
// once, keeps it in this tab's sessionStorage (a reload still works) and takes it out of the
// address bar and its history entry.

export const TOKEN_KEY = 'kf_token';

/** The token in an address fragment ("#token=..."), or undefined. Pure. */
export function tokenFromFragment(hash: string): string | undefined {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token && /^[\w-]{1,256}$/.test(token) ? token : undefined;
}

export interface TokenPlace {
  readonly location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  readonly history: Pick<History, 'replaceState' | 'state'>;
  readonly storage: Pick<Storage, 'getItem' | 'setItem'>;
}

/** The token for this tab: from the fragment (then stored and removed from the address), else stored. */
export function takeToken(place: TokenPlace): string | undefined {
  const fromFragment = tokenFromFragment(place.location.hash);
  if (fromFragment) {
    place.storage.setItem(TOKEN_KEY, fromFragment);
    place.history.replaceState(place.history.state, '', `${place.location.pathname}${place.location.search}`);
    return fromFragment;
  }
  return place.storage.getItem(TOKEN_KEY) ?? undefined;
}
