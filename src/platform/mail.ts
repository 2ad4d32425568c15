import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import nodemailer from 'nodemailer'
import type { FastifyBaseLogger } from 'fastify'

export interface OutgoingMail {
  to: string
  subject: string
  text: string
  /** extra headers, e.g. List-Unsubscribe */
  headers?: Record<string, string>
  /** files joined to the message (an event's .ics) */
  attachments?: { filename: string; content: string; contentType: string }[]
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>
  /** Where mail goes: `smtp` or the outbox folder. */
  readonly target: string
}

/**
 * SMTP when SMTP_URL is set; otherwise an outbox folder (one .eml file a message) whose files, and the
 * links they carry, are named in the log so a person running the platform locally can follow them.
 */
export function createMailer(options: {
  smtpUrl: string | null
  from: string
  outboxDir: string
  log: FastifyBaseLogger
}): Mailer {
  if (options.smtpUrl) {
    const transport = nodemailer.createTransport(options.smtpUrl)
    return {
      target: 'smtp',
      async send(mail) {
        await transport.sendMail({ from: options.from, ...mail })
        options.log.info({ subject: mail.subject }, 'mail sent')
      },
    }
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' })
  return {
    target: options.outboxDir,
    async send(mail) {
      const info = await transport.sendMail({ from: options.from, ...mail })
      mkdirSync(options.outboxDir, { recursive: true })
      const file = join(
        options.outboxDir,
        `${new Date().toISOString().replace(/[:.]/g, '-')}-${info.messageId.replace(/[^A-Za-z0-9]/g, '').slice(0, 24)}.eml`,
      )
      writeFileSync(file, info.message as Buffer, { mode: 0o600 })
      const links = mail.text.match(/https?:\/\/\S+/g) ?? []
      options.log.info({ file, subject: mail.subject, links }, 'mail written to the outbox (no SMTP_URL set)')
    },
  }
}
