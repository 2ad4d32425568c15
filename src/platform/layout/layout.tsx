import type { ComponentChildren } from 'preact'
import { usePage } from './context.ts'

/** The header's sections, and the paths that belong to each (for aria-current). */
const SECTIONS = [
  { href: '/territoires', label: 'nav.territories', paths: ['/territoires', '/plans', '/engagements'] },
  {
    href: '/participer',
    label: 'nav.participate',
    paths: ['/participer', '/consultations', '/questions', '/textes', '/groupes', '/assemblees', '/evenements'],
  },
  { href: '/reseau', label: 'nav.network', paths: ['/reseau', '/membres'] },
  { href: '/referentiel', label: 'nav.referentiel', paths: ['/referentiel'] },
  { href: '/donnees', label: 'nav.data', paths: ['/donnees'] },
] as const

function Header() {
  const { t, user, currentUrl } = usePage()
  const path = currentUrl.split('?')[0] ?? '/'
  const current = SECTIONS.find((s) => s.paths.some((p) => path === p || path.startsWith(`${p}/`)))
  const switchTo = t('nav.switchToLang')
  return (
    <header class="site-header">
      <div class="container header-row">
        <a class="brand" href="/">
          <span class="brand-name">{t('site.name')}</span>
          <span class="brand-tagline">{t('site.tagline')}</span>
        </a>
        <form
          role="search"
          action="/recherche"
          method="get"
          class="header-search"
          id="recherche"
          aria-label={t('siteSearch.label')}
        >
          <label for="header-q" class="visually-hidden">
            {t('siteSearch.label')}
          </label>
          <input
            type="search"
            id="header-q"
            name="q"
            autocomplete="off"
            maxLength={200}
            placeholder={t('siteSearch.placeholder')}
          />
          <button type="submit">{t('search.submit')}</button>
        </form>
        <nav aria-label={t('nav.label')} class="main-nav">
          <ul>
            {SECTIONS.map((section) => (
              <li>
                <a href={section.href} aria-current={current === section ? 'page' : undefined}>
                  {t(section.label)}
                </a>
              </li>
            ))}
            {user ? (
              <>
                {user.isPlatformAdmin && (
                  <li>
                    <a href="/admin">{t('nav.admin')}</a>
                  </li>
                )}
                <li>
                  <a href="/compte">{t('nav.account')}</a>
                </li>
                <li>
                  <SignOutButton />
                </li>
              </>
            ) : (
              <>
                <li>
                  <a href="/connexion">{t('nav.signin')}</a>
                </li>
                <li>
                  <a href="/inscription">{t('nav.signup')}</a>
                </li>
              </>
            )}
            <li>
              <a
                href={`/langue/${switchTo}?next=${encodeURIComponent(currentUrl)}`}
                lang={switchTo}
                hreflang={switchTo}
              >
                {t('nav.switchTo')}
              </a>
            </li>
          </ul>
        </nav>
      </div>
    </header>
  )
}

function SignOutButton() {
  const { t, csrfToken } = usePage()
  return (
    <form method="post" action="/deconnexion" class="inline-form">
      <input type="hidden" name="_csrf" value={csrfToken()} />
      <button type="submit" class="link-button">
        {t('nav.signout')}
      </button>
    </form>
  )
}

function Flashes() {
  const { t, flashes } = usePage()
  if (flashes.length === 0) return null
  return (
    <div class="container">
      {flashes.map((flash) => (
        <div class={`flash flash-${flash.kind}`} role={flash.kind === 'error' ? 'alert' : 'status'}>
          <strong>{flash.kind === 'error' ? t('flash.error') : t('flash.notice')} : </strong>
          {flash.text}
        </div>
      ))}
    </div>
  )
}

function Footer() {
  const { t } = usePage()
  return (
    <footer class="site-footer" id="pied" role="contentinfo">
      <div class="container">
        <p>{t('footer.about')}</p>
        <ul class="footer-links">
          <li>
            <a href="/mentions-legales">{t('footer.legal')}</a>
          </li>
          <li>
            <a href="/accessibilite">{t('footer.accessibility')}</a>
          </li>
          <li>
            <a href="/confidentialite">{t('privacy.title')}</a>
          </li>
          <li>
            <a href="/api/docs">{t('footer.api')}</a>
          </li>
          <li>
            <a href="/licence">{t('footer.source')}</a>
          </li>
        </ul>
      </div>
    </footer>
  )
}

/** The page shell: skip links, header, flash messages, main content, footer. */
export function Layout({ title, children }: { title: string; children: ComponentChildren }) {
  const { t, locale, demo } = usePage()
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} – ${t('site.name')}`}</title>
        {/* htmx would otherwise inject a <style> element, which the CSP (style-src 'self') refuses */}
        <meta name="htmx-config" content='{"includeIndicatorStyles":false}' />
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/assets/css/app.css" />
        <link rel="stylesheet" href="/assets/css/print.css" media="print" />
        <script src="/assets/js/htmx.min.js" defer></script>
      </head>
      <body>
        <div class="skip-links">
          <a href="#contenu">{t('skip.content')}</a>
          <a href="#recherche">{t('skip.search')}</a>
          <a href="#pied">{t('skip.footer')}</a>
        </div>
        {demo && (
          <p class="demo-banner" role="note">
            {t('site.demoBanner')}
          </p>
        )}
        <Header />
        <Flashes />
        <main id="contenu" tabIndex={-1} class="container">
          {children}
        </main>
        <Footer />
      </body>
    </html>
  )
}
