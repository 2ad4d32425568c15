import type { FicheKind } from './fields.ts'
import type { FicheContent } from './content.ts'
import { LICENCE_URLS, vocabularyLabel } from './vocabularies.ts'

const TYPES: Record<FicheKind, string> = { method: 'HowTo', experience: 'CreativeWork', actor: 'Organization' }

/**
 * A fiche in schema.org terms: methods are HowTo, actors Organization, experiences a CreativeWork
 * about the Event that took place (with its organiser, dates and place).
 */
export function ficheJsonLd(
  fiche: {
    kind: FicheKind
    slug: string
    title: string
    publishedAt: Date
    firstPublishedAt: Date | null
    licence: string | null
  },
  content: FicheContent,
  options: { baseUrl: string; contributors: string[]; linked: { slug: string; title: string; relation: string }[] },
): Record<string, unknown> {
  const url = `${options.baseUrl}/referentiel/fiches/${fiche.slug}`
  const keywords = [
    ...((content.themes as string[]) ?? []).map((k) => vocabularyLabel('themes', k, 'fr')),
    ...((content.methodTypes as string[]) ?? []).map((k) => vocabularyLabel('methodTypes', k, 'fr')),
  ]
  const doc: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': TYPES[fiche.kind],
    '@id': url,
    url,
    name: fiche.title,
    description: content.summary ?? undefined,
    inLanguage: content.language ?? 'fr',
    dateModified: fiche.publishedAt.toISOString(),
    datePublished: (fiche.firstPublishedAt ?? fiche.publishedAt).toISOString(),
    license: fiche.licence ? (LICENCE_URLS[fiche.licence] ?? fiche.licence) : undefined,
    keywords: keywords.length ? keywords.join(', ') : undefined,
    sameAs: content.website ?? undefined,
  }
  if (fiche.kind !== 'actor') {
    doc.author = options.contributors.map((name) => ({ '@type': 'Person', name }))
    if (content.originalAuthors) doc.creditText = content.originalAuthors
    if (content.sourceUrl || content.sourceName)
      doc.isBasedOn = {
        '@type': 'CreativeWork',
        name: content.sourceName ?? undefined,
        url: content.sourceUrl ?? undefined,
      }
  }
  if (fiche.kind === 'experience') {
    doc.about = {
      '@type': 'Event',
      name: fiche.title,
      startDate: content.startDate ?? undefined,
      endDate: content.endDate ?? undefined,
      organizer: content.institution ? { '@type': 'Organization', name: content.institution } : undefined,
      location: content.territory ? { '@type': 'AdministrativeArea', identifier: content.territory } : undefined,
      eventAttendanceMode:
        content.format === 'online'
          ? 'https://schema.org/OnlineEventAttendanceMode'
          : content.format === 'both'
            ? 'https://schema.org/MixedEventAttendanceMode'
            : content.format === 'facetoface'
              ? 'https://schema.org/OfflineEventAttendanceMode'
              : undefined,
    }
    doc.mentions = options.linked
      .filter((l) => l.relation === 'uses' || l.relation === 'involves')
      .map((l) => ({ '@id': `${options.baseUrl}/referentiel/fiches/${l.slug}`, name: l.title }))
  }
  if (fiche.kind === 'actor') {
    doc.makesOffer = options.linked
      .filter((l) => l.relation === 'offers')
      .map((l) => ({
        '@type': 'Offer',
        itemOffered: { '@id': `${options.baseUrl}/referentiel/fiches/${l.slug}`, name: l.title },
      }))
  }
  return JSON.parse(JSON.stringify(doc)) as Record<string, unknown>
}
