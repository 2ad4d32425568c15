import { formatDateTime } from '../../../platform/i18n/index.ts'
import { usePage } from '../../../platform/layout/context.ts'
import type { PublishedHead } from '../history.ts'

export type HeadRow = PublishedHead & { digest: string }

export function HeadsPage({
  territory,
  heads,
  feedUrl,
}: {
  territory: { name: string; path: string }
  heads: HeadRow[]
  feedUrl: string
}) {
  const { t, locale } = usePage()
  return (
    <article>
      <p class="kicker">
        <a href={territory.path}>{territory.name}</a>
      </p>
      <h1>{t('plans.heads.title')}</h1>
      <p class="lead">{t('plans.heads.lead')}</p>
      <p>
        <a href={feedUrl}>{t('plans.heads.json')}</a>
      </p>
      <h2>{t('plans.heads.howTo')}</h2>
      <p>{t('plans.heads.howToText')}</p>
      <pre>
        <code>
          npm run cli -- history:verify {territory.path.replace(/^\/territoires\//, '')} --against empreinte.json
        </code>
      </pre>
      {heads.length === 0 ? (
        <p>{t('plans.heads.none')}</p>
      ) : (
        <table>
          <caption>{t('plans.heads.caption', { count: heads.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('plans.heads.publishedAt')}</th>
              <th scope="col">{t('plans.heads.sequence')}</th>
              <th scope="col">{t('plans.heads.hash')}</th>
              <th scope="col">{t('plans.heads.digest')}</th>
            </tr>
          </thead>
          <tbody>
            {heads.map((head) => (
              <tr>
                <td>{formatDateTime(locale, new Date(head.publishedAt))}</td>
                <td>{head.sequence}</td>
                <td>
                  <code class="hash">{head.hash}</code>
                </td>
                <td>
                  <code class="hash">{head.digest}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  )
}
