// An e-mail's HTML for the app's preview, which loads nothing from outside (no tracking pixel fires, no
// font server learns that a rep looked): the stylesheets it would fetch (MJML imports web fonts) are left
// out here, so the browser does not try them and report each refusal; the e-mail's own styles stay.

const outsideStylesheet = /<link\b[^>]*\bhref\s*=\s*["']?(?:https?:)?\/\/[^>]*>/gi;
const outsideImport = /@import\s+(?:url\()?\s*["']?(?:https?:)?\/\/[^;]*;/gi;

/** The HTML without the stylesheets it would fetch from other sites. */
export function previewHtml(html: string): string {
  return html.replaceAll(outsideStylesheet, '').replaceAll(outsideImport, '');
}
