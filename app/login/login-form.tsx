'use client'
// The login form: a plain form posting to the server action, so it works before hydration too; the action's
// error (one generic message for a wrong username or password) shows above the button.
import { useActionState } from 'react'
import { loginAction, type LoginState } from './actions'

export function LoginForm({ next }: { next: string }) {
  const [state, formAction, pending] = useActionState<LoginState, FormData>(loginAction, {
    error: undefined,
    username: '',
  })
  return (
    <form action={formAction} className="flex flex-col gap-3" data-testid="login-form">
      <input type="hidden" name="next" value={next} />
      <label className="flex flex-col gap-1 text-sm">
        Username
        <input
          name="username"
          autoComplete="username"
          required
          autoFocus
          defaultValue={state.username}
          className="control-input"
          data-testid="login-username"
        />
      </label>
      <label className="flex flex-col gap-1 text-sm">
        Password
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="control-input"
          data-testid="login-password"
        />
      </label>
      {state.error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400" data-testid="login-error">
          {state.error.message}
        </p>
      )}
      <button type="submit" disabled={pending} className="control-button-primary" data-testid="login-submit">
        {pending ? 'Logging in…' : 'Log in'}
      </button>
    </form>
  )
}
