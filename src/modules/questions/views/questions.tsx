import { formatDate, formatNumber, type MessageKey } from '../../../platform/i18n/index.ts'
import { usePage } from '../../../platform/layout/context.ts'
import { ErrorSummary, Field, PostForm, type FieldErrors, type FormValues } from '../../../platform/layout/forms.tsx'
import type { listQuestions, OfficialStats, QuestionRow } from '../service.ts'

export const questionPath = (q: { id: string }) => `/questions/${q.id}`

export function QuestionCard({
  q,
  supported,
  canSupport,
}: {
  q: QuestionRow
  supported: boolean
  canSupport: boolean
}) {
  const { t, locale } = usePage()
  return (
    <li class="card">
      <p class="kicker">
        {t(`question.status.${q.status}` as MessageKey)} ·{' '}
        {t('question.to', { name: q.addresseeName ?? t('question.executive') })} ·{' '}
        {t('question.supports', { count: q.supportCount })}
      </p>
      <h3 class="card-title">
        <a href={questionPath(q)}>{q.title}</a>
      </h3>
      <p class="meta">
        {t('question.asked', {
          name: q.authorName ?? t('consult.deletedAccount'),
          date: formatDate(locale, new Date(q.publishedAt ?? q.createdAt)),
        })}
      </p>
      {q.status === 'rejected' && q.rejectionReason && (
        <p class="notice">{t('question.rejectedBecause', { reason: q.rejectionReason })}</p>
      )}
      {canSupport && q.status === 'published' && (
        <PostForm action={`${questionPath(q)}/soutien`} class="inline-form">
          <input type="hidden" name="supported" value={supported ? 'false' : 'true'} />
          <button type="submit" aria-pressed={supported ? 'true' : 'false'}>
            {supported ? t('question.unsupport') : t('question.support')}
            <span class="visually-hidden"> : {q.title}</span>
          </button>
        </PostForm>
      )}
    </li>
  )
}

export function StatsTable({ stats }: { stats: OfficialStats[] }) {
  const { t, locale } = usePage()
  if (stats.length === 0) return null
  return (
    <div class="table-scroll">
      <table>
        <caption>{t('question.stats')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('question.stats.official')}</th>
            <th scope="col">{t('question.stats.answered')}</th>
            <th scope="col">{t('question.stats.waiting')}</th>
            <th scope="col">{t('question.stats.median')}</th>
          </tr>
        </thead>
        <tbody>
          {stats.map((s) => (
            <tr>
              <th scope="row">{s.name ?? t('question.executive')}</th>
              <td>{formatNumber(locale, s.answered)}</td>
              <td>{formatNumber(locale, s.waiting)}</td>
              <td>
                {s.medianDays === null ? '—' : t('question.stats.days', { days: Math.round(s.medianDays * 10) / 10 })}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function QuestionsPage(props: {
  territory: { name: string; path: string }
  /** a moderation refused on one pending question: its reason field shows the message and keeps what was typed */
  moderation?: { questionId: string; reason: string; error: string }
  lists: Awaited<ReturnType<typeof listQuestions>>
  stats: OfficialStats[]
  officials: { id: string; name: string }[]
  supported: Set<string>
  signedIn: boolean
  values: FormValues
  errors: FieldErrors
}) {
  const { t } = usePage()
  const labels = {
    addresseeId: t('question.addressee'),
    title: t('question.field.title'),
    body: t('question.field.body'),
  }
  return (
    <>
      <p class="kicker">
        <a href={props.territory.path}>{props.territory.name}</a>
      </p>
      <h1>{t('question.title')}</h1>
      <p class="lead">{t('question.lead')}</p>
      <StatsTable stats={props.stats} />
      {props.lists.pending.length > 0 && (
        <section aria-labelledby="moderation-title" class="panel">
          <h2 id="moderation-title">{t('question.moderation')}</h2>
          <ul class="cards">
            {props.lists.pending.map((q) => (
              <li class="card">
                <h3 class="card-title">{q.title}</h3>
                <p class="pre-line">{q.body}</p>
                <PostForm action={`${questionPath(q)}/moderation`}>
                  <Field
                    name="reason"
                    idPrefix={`reason-${q.id}`}
                    label={t('question.reason')}
                    maxLength={2000}
                    value={props.moderation?.questionId === q.id ? props.moderation.reason : ''}
                    error={props.moderation?.questionId === q.id ? props.moderation.error : undefined}
                  />
                  <button type="submit" name="decision" value="publish">
                    {t('question.publish')}
                  </button>{' '}
                  <button type="submit" name="decision" value="reject" class="danger">
                    {t('question.reject')}
                  </button>
                </PostForm>
              </li>
            ))}
          </ul>
        </section>
      )}
      {props.signedIn ? (
        <section aria-labelledby="ask-title" class="panel">
          <h2 id="ask-title">{t('question.ask')}</h2>
          <ErrorSummary errors={props.errors} labels={labels} />
          <PostForm action={`${props.territory.path}/questions`}>
            <Field
              name="addresseeId"
              label={labels.addresseeId}
              value={props.values.addresseeId ?? ''}
              error={props.errors.addresseeId}
              options={[
                { value: '', label: t('question.executive') },
                ...props.officials.map((o) => ({ value: o.id, label: o.name })),
              ]}
            />
            <Field
              name="title"
              label={labels.title}
              required
              maxLength={200}
              value={props.values.title}
              error={props.errors.title}
            />
            <Field
              name="body"
              label={labels.body}
              required
              multiline
              maxLength={5000}
              value={props.values.body}
              error={props.errors.body}
            />
            <button type="submit">{t('question.submit')}</button>
          </PostForm>
        </section>
      ) : (
        <p>
          <a href={`/connexion?next=${encodeURIComponent(`${props.territory.path}/questions`)}`}>
            {t('question.signin')}
          </a>
        </p>
      )}
      {props.lists.mine.length > 0 && (
        <section aria-labelledby="mine-title">
          <h2 id="mine-title">{t('question.mine')}</h2>
          <ul class="cards">
            {props.lists.mine.map((q) => (
              <QuestionCard q={q} supported={false} canSupport={false} />
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="questions-title">
        <h2 id="questions-title">{t('question.title')}</h2>
        {props.lists.public.length === 0 ? (
          <p>{t('question.none')}</p>
        ) : (
          <ul class="cards">
            {props.lists.public.map((q) => (
              <QuestionCard q={q} supported={props.supported.has(q.id)} canSupport={props.signedIn} />
            ))}
          </ul>
        )}
      </section>
    </>
  )
}

export function QuestionPage({
  q,
  territory,
  canAnswer,
  values,
  errors,
}: {
  q: QuestionRow
  territory: { name: string; path: string }
  canAnswer: boolean
  values: FormValues
  errors: FieldErrors
}) {
  const { t, locale } = usePage()
  return (
    <article>
      <p class="kicker">
        <a href={`${territory.path}/questions`}>{territory.name}</a> · {t(`question.status.${q.status}` as MessageKey)}
      </p>
      <h1>{q.title}</h1>
      <p class="meta">
        {t('question.to', { name: q.addresseeName ?? t('question.executive') })} ·{' '}
        {t('question.asked', {
          name: q.authorName ?? t('consult.deletedAccount'),
          date: formatDate(locale, new Date(q.publishedAt ?? q.createdAt)),
        })}{' '}
        · {t('question.supports', { count: q.supportCount })}
      </p>
      <p class="pre-line">{q.body}</p>
      {q.status === 'rejected' && q.rejectionReason && (
        <p class="notice">{t('question.rejectedBecause', { reason: q.rejectionReason })}</p>
      )}
      {q.answer && (
        <section aria-labelledby="answer-title" class="panel">
          <h2 id="answer-title">
            {t('question.answeredBy', {
              name: q.answeredByName ?? '—',
              date: formatDate(locale, new Date(q.answeredAt!)),
            })}
          </h2>
          <p class="pre-line">{q.answer}</p>
        </section>
      )}
      {canAnswer && q.status === 'published' && (
        <PostForm action={`${questionPath(q)}/reponse`}>
          <ErrorSummary errors={errors} labels={{ answer: t('question.answer') }} />
          <Field
            name="answer"
            label={t('question.answer')}
            multiline
            maxLength={10000}
            value={values.answer}
            error={errors.answer}
          />
          <button type="submit">{t('question.answer.submit')}</button>
        </PostForm>
      )}
    </article>
  )
}
