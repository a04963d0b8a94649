'use server'
// Server actions of the Users page (admin only): create an account, change its role, reset its password, delete
// it. Each goes through runMutation (role check, audit row, idempotency key per form intent); passwords never
// reach the audit log or the stored outcome.
import { revalidatePath } from 'next/cache'
import { z } from 'zod'
import { actionFailure, type ActionResult } from '@/app/action-result'
import { passwordSchema } from '@/lib/auth/passwords'
import { requireActor } from '@/lib/auth/session'
import {
  createUser,
  createUserInputSchema,
  deleteUser,
  roleSchema,
  setPassword,
  setRole,
  userIdSchema,
  type UserView,
} from '@/lib/auth/users'
import { idempotencyKeySchema, runMutation } from '@/lib/mutations/run-mutation'

const setRoleInputSchema = z.object({ userId: userIdSchema, role: roleSchema })
const setPasswordInputSchema = z.object({ userId: userIdSchema, password: passwordSchema })

export async function createUserAction(
  input: unknown,
  idempotencyKey: unknown,
): Promise<ActionResult<UserView>> {
  try {
    // Any logged-in user reaches runMutation, which refuses below admin itself, so a refused attempt is audited.
    const actor = await requireActor('viewer')
    const parsed = createUserInputSchema.parse(input)
    const { outcome } = await runMutation(actor, {
      action: 'user.create',
      minRole: 'admin',
      targetType: 'user',
      targetId: parsed.username,
      idempotencyKey: idempotencyKeySchema.parse(idempotencyKey),
      request: { username: parsed.username, role: parsed.role },
      run: () => createUser(parsed),
    })
    revalidatePath('/users')
    return { ok: true, data: outcome }
  } catch (err) {
    return actionFailure(err, 'createUserAction')
  }
}

export async function setRoleAction(
  input: unknown,
  idempotencyKey: unknown,
): Promise<ActionResult<UserView>> {
  try {
    const actor = await requireActor('viewer')
    const { userId, role } = setRoleInputSchema.parse(input)
    const { outcome } = await runMutation(actor, {
      action: 'user.setRole',
      minRole: 'admin',
      targetType: 'user',
      targetId: String(userId),
      idempotencyKey: idempotencyKeySchema.parse(idempotencyKey),
      request: { userId, role },
      run: () => setRole(userId, role),
    })
    revalidatePath('/', 'layout')
    return { ok: true, data: outcome }
  } catch (err) {
    return actionFailure(err, 'setRoleAction')
  }
}

export async function setPasswordAction(
  input: unknown,
  idempotencyKey: unknown,
): Promise<ActionResult<{ userId: number }>> {
  try {
    const actor = await requireActor('viewer')
    const { userId, password } = setPasswordInputSchema.parse(input)
    const { outcome } = await runMutation(actor, {
      action: 'user.resetPassword',
      minRole: 'admin',
      targetType: 'user',
      targetId: String(userId),
      idempotencyKey: idempotencyKeySchema.parse(idempotencyKey),
      // Never the password itself.
      request: { userId },
      run: async () => {
        await setPassword(userId, password)
        return { userId }
      },
    })
    revalidatePath('/', 'layout')
    return { ok: true, data: outcome }
  } catch (err) {
    return actionFailure(err, 'setPasswordAction')
  }
}

export async function deleteUserAction(
  userId: unknown,
  idempotencyKey: unknown,
): Promise<ActionResult<{ userId: number }>> {
  try {
    const actor = await requireActor('viewer')
    const parsed = userIdSchema.parse(userId)
    const { outcome } = await runMutation(actor, {
      action: 'user.delete',
      minRole: 'admin',
      targetType: 'user',
      targetId: String(parsed),
      idempotencyKey: idempotencyKeySchema.parse(idempotencyKey),
      request: { userId: parsed },
      run: async () => {
        await deleteUser(parsed)
        return { userId: parsed }
      },
    })
    revalidatePath('/', 'layout')
    return { ok: true, data: outcome }
  } catch (err) {
    return actionFailure(err, 'deleteUserAction')
  }
}
