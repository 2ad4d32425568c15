import type { MessageKey, Translate } from '../../../platform/i18n/index.ts'
import { usePage } from '../../../platform/layout/context.ts'

export const fichePath = (slug: string) => `/referentiel/fiches/${slug}`
export const versionPath = (id: string) => `/referentiel/versions/${id}`
export const kindLabel = (t: Translate, kind: string) => t(`ref.kind.${kind}` as MessageKey)
export const statusLabel = (t: Translate, status: string) => t(`ref.status.${status}` as MessageKey)

export type FicheNames = Map<string, { slug: string; title: string; kind: string }>

export function RefNav() {
  const { t, user } = usePage()
  return (
    <p class="actions">
      <a href="/referentiel">{t('ref.title')}</a> · <a href="/referentiel/inventaire">{t('ref.inventory')}</a> ·{' '}
      <a href="/referentiel/donnees">{t('ref.opendata')}</a>
      {user && (
        <>
          {' '}
          · <a href="/referentiel/nouvelle">{t('ref.new')}</a> ·{' '}
          <a href="/referentiel/mes-contributions">{t('ref.mine')}</a>
        </>
      )}
    </p>
  )
}
