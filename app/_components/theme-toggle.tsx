'use client'
// Light / dark / system switch. The choice lives in the mqdeck-theme cookie; the root layout puts it on <html> as a
// class (`dark` or `system`, which globals.css resolves with prefers-color-scheme) before the first paint.
import { useState } from 'react'
import { THEME_COOKIE, THEMES, writePreferenceCookie, type Theme } from '@/app/_lib/preferences'

const LABEL_OF: Readonly<Record<Theme, string>> = { light: 'Light', dark: 'Dark', system: 'System' }

function applyTheme(theme: Theme): void {
  document.documentElement.classList.toggle('dark', theme === 'dark')
  document.documentElement.classList.toggle('system', theme === 'system')
}

export function ThemeToggle({ initialTheme }: { initialTheme: Theme }) {
  const [theme, setTheme] = useState<Theme>(initialTheme)

  const choose = (next: Theme) => {
    writePreferenceCookie(THEME_COOKIE, next)
    applyTheme(next)
    setTheme(next)
  }

  return (
    <div
      role="radiogroup"
      aria-label="Colour theme"
      className="inline-flex rounded-md border border-slate-300 dark:border-slate-700"
      data-testid="theme-toggle"
    >
      {THEMES.map((option) => (
        <button
          key={option}
          type="button"
          role="radio"
          aria-checked={theme === option}
          onClick={() => choose(option)}
          data-theme-option={option}
          className={`px-2 py-1 text-xs first:rounded-l-md last:rounded-r-md focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none ${
            theme === option
              ? 'bg-slate-800 text-white dark:bg-slate-200 dark:text-slate-900'
              : 'text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800'
          }`}
        >
          {LABEL_OF[option]}
        </button>
      ))}
    </div>
  )
}
