// The README that goes into cri-compat.vsix (`npm run package` passes it to vsce with --readme-path).
//
// The Extensions view shows a .vsix's readme in a webview that loads images only from https: and data: URLs,
// and links relative to the repository lead nowhere from an installed extension (the repository has no
// public URL). So the packaged readme is README.md without its screenshots and with every relative link
// turned into its text; everything else is the same. It then needs no --baseContentUrl/--baseImagesUrl.
// The repository's README opens with the two commands for a fresh checkout; the installed extension's reader has
// no checkout and wants to know first what it does, so those commands and their paragraph move to Development.
//
// Usage: node scripts/package-readme.mjs [out-file]   (default out/package/README.md)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const outFile = resolve(process.argv[2] ?? join(root, 'out', 'package', 'README.md'));

/** A link target that works from an installed extension's readme: https, mailto, or an anchor. */
const absolute = (href) => /^(https:|mailto:|#)/i.test(href);

/** README.md as packaged. */
function packagedReadme(markdown) {
  const out = [];
  let fence = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    if (fence || /^\s*(```|~~~)/.test(line)) {
      out.push(line);
      continue;
    }
    // Images: a line that is only an image goes; an image inside text becomes its alt text.
    if (/^\s*!\[[^\]]*\]\([^)]*\)\s*$/.test(line) && !absolute(/\(([^)]*)\)\s*$/.exec(line)[1])) {
      // Drop the blank line that separated it too, so that no double blank lines remain.
      if (out.length && out[out.length - 1].trim() === '') out.pop();
      continue;
    }
    out.push(
      line
        .replace(/!\[([^\]]*)\]\(([^)\s]*)\)/g, (m, alt, href) => (absolute(href) ? m : alt))
        .replace(/(?<!!)\[([^\]]*)\]\(([^)\s]*)\)/g, (m, text, href) => (absolute(href) ? m : text)),
    );
  }
  return out.join('\n');
}

/** `markdown` with its opening block (the fenced commands after the title, and the paragraph after them) first under Development. */
function checkoutStepsLast(markdown) {
  const opening = /^(# [^\n]*\n\n)(```sh\n[^]*?\n```\n\n[^]*?\n\n)/.exec(markdown);
  const development = '\n## Development\n\n';
  if (!opening || !markdown.includes(development)) throw new Error('README.md: no opening commands or no "## Development" to move them to');
  const rest = opening[1] + markdown.slice(opening[0].length);
  return rest.replace(development, development + opening[2]);
}

mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, packagedReadme(checkoutStepsLast(readFileSync(join(root, 'README.md'), 'utf8'))));
