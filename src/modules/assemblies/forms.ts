import type * as service from './service.ts'

/** The assembly form's values as the service takes them; a number typed wrong becomes NaN, which the service refuses. */

export function assemblyInput(values: Record<string, string>): service.AssemblyInput {
  return {
    title: values.title ?? '',
    purpose: values.purpose ?? '',
    panelSize: /^\d{1,5}$/.test((values.panelSize ?? '').trim()) ? Number(values.panelSize) : NaN,
    onePerHousehold: values.onePerHousehold === 'true',
    majority: (values.majority ?? 'simple') as service.Majority,
    ...(values.quorumPercent !== undefined
      ? { quorumPercent: /^\d{1,3}$/.test(values.quorumPercent.trim()) ? Number(values.quorumPercent) : NaN }
      : {}),
    ...(values.contactRetentionDays !== undefined
      ? {
          contactRetentionDays: /^\d{1,5}$/.test(values.contactRetentionDays.trim())
            ? Number(values.contactRetentionDays)
            : NaN,
        }
      : {}),
  }
}
