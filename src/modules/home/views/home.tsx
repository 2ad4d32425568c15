import { usePage } from '../../../platform/layout/context.ts'
import { SearchForm } from '../../territories/index.ts'

export function HomePage({ territoryCount }: { territoryCount: number }) {
  const { t } = usePage()
  const pillars = [
    ['home.pillar.plan', 'home.pillar.plan.text', '/territoires'],
    ['home.pillar.dashboard', 'home.pillar.dashboard.text', '/reseau'],
    ['home.pillar.review', 'home.pillar.review.text', '/reseau/evaluations'],
    ['home.pillar.participation', 'home.pillar.participation.text', '/participer'],
    ['home.pillar.referentiel', 'home.pillar.referentiel.text', '/referentiel'],
  ] as const
  return (
    <>
      <section class="hero" aria-labelledby="home-title">
        <h1 id="home-title">{t('home.title')}</h1>
        <p class="lead">{t('home.lead')}</p>
      </section>
      <section aria-labelledby="search-title" class="panel">
        <h2 id="search-title">{t('home.searchTitle')}</h2>
        <p class="hint">{t('home.searchHelp')}</p>
        <SearchForm query="" kind={null} idPrefix="home" />
        <div id="resultats" aria-live="polite"></div>
        <p class="hint">{t('home.registryCount', { count: territoryCount })}</p>
      </section>
      <section aria-labelledby="pillars-title">
        <h2 id="pillars-title">{t('home.pillarsTitle')}</h2>
        <ul class="cards">
          {pillars.map(([title, text, href]) => (
            <li class="card">
              <h3 class="card-title">
                <a href={href}>{t(title)}</a>
              </h3>
              <p>{t(text)}</p>
            </li>
          ))}
        </ul>
      </section>
    </>
  )
}

export function TextPage({ title, body }: { title: string; body: string }) {
  return (
    <div class="narrow">
      <h1>{title}</h1>
      <p>{body}</p>
    </div>
  )
}

export function LicencePage() {
  return (
    <div class="narrow" lang="en">
      <h1>Licence</h1>
      <p>
        This platform is free software under the GNU Affero General Public License, version 3 or later
        (AGPL-3.0-or-later): you may run, study, share and modify it; if you run a modified version for others, you must
        offer them its source code.
      </p>
      <p lang="fr">
        Les données publiques publiées par la plateforme le sont sous Licence Ouverte 2.0 (etalab-2.0), sauf mention
        contraire sur la donnée elle-même.
      </p>
    </div>
  )
}
