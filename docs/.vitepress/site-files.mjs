// Repository files outside docs/ that the site publishes as a page of their own (each page includes
// the file), so a docs link to the file can point to that page on the site.
export const SITE_FILES = {
  'SECURITY.md': 'security-policy.md',
  'bench/results.md': 'benchmark-results.md',
};
