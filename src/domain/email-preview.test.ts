import { describe, expect, it } from 'vitest';
import { previewHtml } from './email-preview.js';

describe('an e-mail for the preview', () => {
  it('leaves out the stylesheets it would fetch from other sites, and keeps its own styles', () => {
    const html = [
      '<head><link href="https://fonts.googleapis.com/css?family=Ubuntu" rel="stylesheet" type="text/css">',
      '<style type="text/css">@import url(https://fonts.googleapis.com/css?family=Ubuntu:300,400);</style>',
      "<style>@import '//cdn.example/x.css'; p { margin: 13px 0; }</style>",
      '<link rel="icon" href="data:,">',
      '</head><body><p style="color:#1f6f50">Hi Nina,</p></body>',
    ].join('\n');
    const shown = previewHtml(html);
    expect(shown).not.toMatch(/googleapis|cdn\.example/);
    expect(shown).toContain('p { margin: 13px 0; }');
    expect(shown).toContain('<p style="color:#1f6f50">Hi Nina,</p>');
    expect(shown).toContain('<link rel="icon" href="data:,">');
  });
});
