import type { MessageKey } from '../../platform/i18n/index.ts'
import type { SearchSource } from '../../platform/search.ts'
import { searchFiches } from './search.ts'

/** Published fiches of the référentiel, by the référentiel's own full-text ranking. */
export const ficheSearch: SearchSource = {
  key: 'referentiel',
  label: 'search.section.fiches',
  async find(db, words, limit, t) {
    const { hits } = await searchFiches(db, { q: words.join(' ') }, { offset: 0, limit })
    return hits.map((h) => ({
      title: h.title,
      path: `/referentiel/fiches/${h.slug}`,
      detail: t(`ref.kind.${h.kind}` as MessageKey),
    }))
  },
}
