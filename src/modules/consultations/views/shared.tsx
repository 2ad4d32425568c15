/** Where a consultation's page is. */
export const consultationPath = (c: { id: string }) => `/consultations/${c.id}`
