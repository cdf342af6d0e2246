/**
 * The look of the built-in pages: CSS custom properties with light and dark defaults (WCAG AA
 * contrast in both), which a host overrides through the `pages` option. Values reach the style sheet
 * only after the option schema matched them against the patterns below, so none can close the rule.
 */

/** The themeable CSS custom properties of the built-in pages; each key sets `--oauth-<kebab-key>`. @publicApi */
export interface OAuthPageTheme {
  /** `--oauth-accent`: the primary button's fill, links and the focus ring. */
  accent?: string;
  /** `--oauth-accent-text`: text on the accent colour. */
  accentText?: string;
  /** `--oauth-bg`: the page behind the card. */
  bg?: string;
  /** `--oauth-surface`: the card. */
  surface?: string;
  /** `--oauth-text`: body text. */
  text?: string;
  /** `--oauth-muted`: secondary text (scope identifiers, notes). */
  muted?: string;
  /** `--oauth-border`: card and secondary button borders. */
  border?: string;
  /** `--oauth-radius`: corner radius of the card and buttons, e.g. `8px`. */
  radius?: string;
  /** `--oauth-font`: the font stack, e.g. `Inter, system-ui, sans-serif`. */
  font?: string;
}

/** The built-in pages' settings after defaults (`pages` option). @publicApi */
export interface PageSettings {
  /** Custom properties for the light scheme, and the radius and font of both. */
  theme: Readonly<OAuthPageTheme>;
  /** Custom properties for `prefers-color-scheme: dark`; colours of `theme` do not carry over. */
  darkTheme: Readonly<OAuthPageTheme>;
  /** The product shown above each page (e.g. "SHIFT"); undefined shows none. */
  productName: string | undefined;
  /** An https URL of the product's logo, shown beside the product name. */
  logoUrl: string | undefined;
}

/** A CSS colour: hex, a colour function of numbers, or a keyword. No `;`, `{`, `}` or `<` can pass. */
export const CSS_COLOR = /^(#[0-9a-fA-F]{3,8}|(rgb|rgba|hsl|hsla|hwb|lab|lch|oklab|oklch)\([0-9a-z.,%\s/+-]{1,80}\)|[a-zA-Z]{3,30})$/;
/** A CSS length for `radius`. */
export const CSS_LENGTH = /^(0|\d{1,3}(\.\d{1,3})?(px|rem|em|%))$/;
/** A font stack: family names, optionally quoted, separated by commas. */
export const CSS_FONT = /^[A-Za-z0-9 ,'"-]{1,200}$/;

/** The keys of `OAuthPageTheme`, the only ones that reach the style sheet. */
export const THEME_KEYS: readonly string[] = ['accent', 'accentText', 'bg', 'surface', 'text', 'muted', 'border', 'radius', 'font'];

export const LIGHT_THEME: Required<OAuthPageTheme> = {
  accent: '#4338ca',
  accentText: '#ffffff',
  bg: '#f3f4f7',
  surface: '#ffffff',
  text: '#1a1d23',
  muted: '#555c6b',
  border: '#c9ced8',
  radius: '10px',
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
};

export const DARK_THEME: Required<OAuthPageTheme> = {
  ...LIGHT_THEME,
  accent: '#a5b4fc',
  accentText: '#111827',
  bg: '#0e1014',
  surface: '#1a1d24',
  text: '#e8eaef',
  muted: '#a7aebb',
  border: '#3d4452',
};

/** The default settings: no product name or logo, the built-in themes. */
export const DEFAULT_PAGE_SETTINGS: PageSettings = Object.freeze({
  theme: Object.freeze({}),
  darkTheme: Object.freeze({}),
  productName: undefined,
  logoUrl: undefined,
});

function declarations(theme: OAuthPageTheme): string {
  return Object.entries(theme)
    .filter(([key, value]) => THEME_KEYS.includes(key) && value !== undefined)
    .map(([key, value]) => `--oauth-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}:${value as string}`)
    .join(';');
}

const RULES =
  '*{box-sizing:border-box}' +
  'body{margin:0;min-height:100vh;background:var(--oauth-bg);color:var(--oauth-text);font-family:var(--oauth-font);' +
  'font-size:1rem;line-height:1.5;display:flex;justify-content:center;align-items:flex-start;padding:2rem 1rem}' +
  'main{width:100%;max-width:30rem;background:var(--oauth-surface);border:1px solid var(--oauth-border);' +
  'border-radius:var(--oauth-radius);padding:2rem}' +
  '.brand{display:flex;align-items:center;gap:.6rem;margin:0 0 1.25rem;font-weight:600;color:var(--oauth-muted)}' +
  '.brand img{height:2rem;width:auto}' +
  '.client-logo{display:block;height:3rem;width:auto;max-width:12rem;margin:0 0 .75rem}' +
  'h1{font-size:1.4rem;line-height:1.3;margin:0 0 .75rem}' +
  'p{margin:.75rem 0}' +
  'a{color:var(--oauth-accent);text-underline-offset:2px}' +
  '.muted,small{color:var(--oauth-muted)}' +
  'ul.scopes{list-style:none;padding:0;margin:.5rem 0 1rem;border:1px solid var(--oauth-border);border-radius:var(--oauth-radius)}' +
  'ul.scopes li{padding:.7rem 1rem;border-top:1px solid var(--oauth-border)}ul.scopes li:first-child{border-top:0}' +
  'ul.scopes code{display:block;font-size:.85rem;color:var(--oauth-muted)}' +
  '.badge{font-style:normal;font-size:.75rem;font-weight:600;text-transform:uppercase;letter-spacing:.04em;margin-left:.4rem;' +
  'padding:.05rem .45rem;border-radius:999px;border:1px solid var(--oauth-accent);color:var(--oauth-text)}' +
  '.client-id-host{font-size:1.05rem}' +
  '.warning{padding:.7rem 1rem;border:1px solid var(--oauth-accent);border-left-width:4px;border-radius:var(--oauth-radius)}' +
  '.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1.5rem}' +
  '.button,button{font:inherit;font-weight:600;cursor:pointer;padding:.65rem 1.4rem;border-radius:var(--oauth-radius);' +
  'border:2px solid var(--oauth-accent);text-decoration:none;display:inline-block;min-height:2.75rem}' +
  '.primary{background:var(--oauth-accent);color:var(--oauth-accent-text)}' +
  '.secondary{background:transparent;color:var(--oauth-text);border-color:var(--oauth-border)}' +
  ':focus-visible{outline:3px solid var(--oauth-accent);outline-offset:3px}' +
  '@media (max-width:30rem){body{padding:1rem .5rem}main{padding:1.25rem}.actions{flex-direction:column}' +
  '.actions button{width:100%}}';

/**
 * The style sheet of the built-in pages: defaults, then the host's theme, for light and dark. On a
 * phone the buttons stack full width, Allow on top as it is first in tab order.
 */
export function pageStyle(settings: PageSettings): string {
  const light = declarations({ ...LIGHT_THEME, ...settings.theme });
  const { radius, font } = settings.theme;
  const dark = declarations({ ...DARK_THEME, radius: radius ?? DARK_THEME.radius, font: font ?? DARK_THEME.font, ...settings.darkTheme });
  return `:root{color-scheme:light dark;${light}}@media (prefers-color-scheme:dark){:root{${dark}}}${RULES}`;
}
