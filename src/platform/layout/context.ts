import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import type { Locale, Translate } from '../i18n/index.ts'

export interface PageUser {
  id: string
  displayName: string
  isPlatformAdmin: boolean
}

export interface FlashMessage {
  kind: 'notice' | 'error'
  text: string
}

/** What every view may read while rendering a page. */
export interface PageContextValue {
  t: Translate
  locale: Locale
  user: PageUser | null
  /** The path and query of the current page (for the language switch and sign-in return). */
  currentUrl: string
  demo: boolean
  flashes: FlashMessage[]
  /** A CSRF token; calling it starts a session, so only forms call it. */
  csrfToken: () => string
}

export const PageContext = createContext<PageContextValue | null>(null)

/** The page context; throws when a view renders outside reply.page(). */
export function usePage(): PageContextValue {
  const value = useContext(PageContext)
  if (!value) throw new Error('usePage() outside of a page render')
  return value
}
