/** The public form by which a person volunteers for an assembly's draw, and its confirmation. */
import { usePage } from '../../../platform/layout/context.ts'
import { ErrorSummary, Field, PostForm, type FieldErrors, type FormValues } from '../../../platform/layout/forms.tsx'
import type { AssemblyRow, QuotaRow } from '../service.ts'
import type { Registration } from '../volunteers.ts'
import { assemblyPath } from '../views.tsx'

/** The public volunteer form: identity and contact (private), one question per quota category, consent. */
export function VolunteerForm({
  assembly,
  quotas,
  values,
  errors,
  registration,
}: {
  assembly: AssemblyRow
  quotas: QuotaRow[]
  values: FormValues
  errors: FieldErrors
  registration: Registration | null
}) {
  const { t } = usePage()
  const categories = [...new Set(quotas.map((q) => q.category))]
  const labels: Record<string, string> = {
    fullName: t('assembly.form.name'),
    email: t('assembly.form.email'),
    phone: t('assembly.form.phone'),
    address: t('assembly.form.address'),
    consent: t('assembly.form.consent'),
  }
  categories.forEach((c, i) => {
    labels[`feature${i}`] = c
  })
  return (
    <div class="narrow">
      <p class="kicker">
        <a href={assemblyPath(assembly)}>{assembly.title}</a>
      </p>
      <h1>{t('assembly.form.title')}</h1>
      {registration !== null ? (
        <p class="notice" role="status">
          {registration.kind === 'mail'
            ? t('assembly.form.checkMail', { email: registration.email })
            : t('assembly.form.willCall', { number: registration.number })}
        </p>
      ) : assembly.phase !== 'recruiting' ? (
        <p>{t('assembly.form.closed')}</p>
      ) : (
        <>
          <p>{t('assembly.form.lead')}</p>
          <p>{t('assembly.form.private')}</p>
          <ErrorSummary errors={errors} labels={labels} />
          <PostForm action={`${assemblyPath(assembly)}/volontariat`}>
            <Field
              name="fullName"
              label={labels.fullName!}
              required
              maxLength={200}
              autocomplete="name"
              value={values.fullName}
              error={errors.fullName}
            />
            <Field
              name="email"
              label={labels.email!}
              type="email"
              autocomplete="email"
              maxLength={320}
              value={values.email}
              error={errors.email}
              hint={t('assembly.form.contactHint')}
            />
            <Field
              name="phone"
              label={labels.phone!}
              type="tel"
              autocomplete="tel"
              maxLength={40}
              value={values.phone}
              error={errors.phone}
            />
            <Field
              name="address"
              label={labels.address!}
              required={assembly.onePerHousehold}
              autocomplete="street-address"
              maxLength={500}
              value={values.address}
              error={errors.address}
              hint={assembly.onePerHousehold ? t('assembly.form.addressHint') : undefined}
            />
            {categories.map((c, i) => (
              <Field
                name={`feature${i}`}
                label={c}
                required
                value={values[`feature${i}`] ?? ''}
                error={errors[`feature${i}`]}
                options={[
                  { value: '', label: t('assembly.form.choose') },
                  ...quotas.filter((q) => q.category === c).map((q) => ({ value: q.feature, label: q.feature })),
                ]}
              />
            ))}
            <div class={`field${errors.consent ? ' field-error' : ''}`}>
              {errors.consent && (
                <p class="error-message" id="field-consent-error">
                  {errors.consent}
                </p>
              )}
              <input
                type="checkbox"
                id="field-consent"
                name="consent"
                value="true"
                required
                aria-describedby={errors.consent ? 'field-consent-error' : undefined}
              />{' '}
              <label for="field-consent">{t('assembly.form.consent')}</label>
            </div>
            <p class="hint">
              <a href="/confidentialite">{t('privacy.link')}</a>
            </p>
            <button type="submit">{t('assembly.form.submit')}</button>
          </PostForm>
        </>
      )}
    </div>
  )
}

/** The page a confirmation link opens. */
export function VolunteerConfirmed({
  assembly,
  message,
  ok,
}: {
  assembly: AssemblyRow | null
  message: string
  ok: boolean
}) {
  const { t } = usePage()
  return (
    <div class="narrow">
      {assembly && (
        <p class="kicker">
          <a href={assemblyPath(assembly)}>{assembly.title}</a>
        </p>
      )}
      <h1>{t('assembly.confirm.title')}</h1>
      <p class={ok ? 'notice' : 'error-message'} role="status">
        {message}
      </p>
      {assembly && (
        <p>
          <a href={assemblyPath(assembly)}>{t('assembly.confirm.back')}</a>
        </p>
      )}
    </div>
  )
}
