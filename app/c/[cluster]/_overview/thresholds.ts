// The Overview's warning thresholds as the browser needs them (lib/console/overview.ts holds the same figures for
// the server's warnings; client components may not import its values).
export const HEARTBEAT_SILENT_SEC = 120
export const DISK_RATIO_WARN_PERCENT = 85
