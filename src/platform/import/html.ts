import { NodeHtmlMarkdown } from 'node-html-markdown'
import sanitizeHtml from 'sanitize-html'

const converter = new NodeHtmlMarkdown({ bulletMarker: '-', keepDataImages: false })

/**
 * HTML from another platform (Decidim's descriptions) as the platform's Markdown: the tags of text only (no
 * script, style, image or frame; links to http, https and mail only), then converted. Plain text comes back as it is.
 */
export function htmlToMarkdown(html: string): string {
  if (!/<[a-z][^>]*>/i.test(html)) return html.trim()
  const clean = sanitizeHtml(html, {
    allowedTags: [
      'p',
      'br',
      'strong',
      'b',
      'em',
      'i',
      'u',
      'ul',
      'ol',
      'li',
      'a',
      'h1',
      'h2',
      'h3',
      'h4',
      'h5',
      'h6',
      'blockquote',
      'code',
      'pre',
      'table',
      'thead',
      'tbody',
      'tr',
      'th',
      'td',
    ],
    allowedAttributes: { a: ['href'] },
    allowedSchemes: ['http', 'https', 'mailto'],
  })
  return converter.translate(clean).trim()
}
