'use server'
// Server actions of the home page. Each one: parse with zod, call one lib function, return an ActionResult.
import { actionFailure, type ActionResult } from '@/app/action-result'
import {
  sendTestMessage,
  sendTestMessageInput,
  type SendTestMessageResult,
} from '@/lib/store/send-test-message'

export async function sendTestMessageAction(input: unknown): Promise<ActionResult<SendTestMessageResult>> {
  try {
    const parsed = sendTestMessageInput.parse(input)
    return { ok: true, data: await sendTestMessage(parsed) }
  } catch (err) {
    return actionFailure(err, 'sendTestMessageAction')
  }
}
