import { Marked } from 'marked';
import { useMemo } from 'react';

// Lesson text is Markdown from the lesson folders, which ship with the app: trusted content, so
// marked's HTML goes into the page. Nothing from the URL or a shared link is ever rendered here.
// A step's text opens with its title (`# …`), which the panel already shows as a heading, and its
// other headings sit below the panel's own (the step title is an h3).
const md = new Marked({
  gfm: true,
  walkTokens(token) {
    if (token.type === 'heading') token.depth = Math.min(6, token.depth + 2);
  },
});

const withoutTitle = (text: string) => text.replace(/^\s*#\s[^\n]*\n+/, '');

/** A step's Markdown text. */
export function Markdown({ text }: { text: string }) {
  const html = useMemo(() => md.parse(withoutTitle(text), { async: false }), [text]);
  return <div className="lesson-text" dangerouslySetInnerHTML={{ __html: html }} />;
}

/** One line of Markdown (a choice, a hint, a goal): code spans and emphasis, no paragraphs. */
export function InlineMarkdown({ text }: { text: string }) {
  const html = useMemo(() => md.parseInline(text, { async: false }), [text]);
  return <span dangerouslySetInnerHTML={{ __html: html }} />;
}
