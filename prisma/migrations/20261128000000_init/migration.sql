-- CreateTable
CREATE TABLE "audit_log" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target_type" TEXT NOT NULL,
    "target_id" TEXT,
    "cluster" TEXT,
    "request_json" TEXT NOT NULL,
    "result" TEXT NOT NULL DEFAULT 'PENDING',
    "error_code" TEXT,
    "error_message" TEXT,
    "duration_ms" INTEGER,
    "idempotency_key" TEXT
);

-- CreateTable
CREATE TABLE "idempotency_key" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "action" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "response_json" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "metric_sample" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "cluster" TEXT NOT NULL,
    "broker" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "value" REAL NOT NULL
);

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");

-- CreateIndex
CREATE INDEX "audit_log_result_idx" ON "audit_log"("result");

-- CreateIndex
CREATE INDEX "audit_log_idempotency_key_idx" ON "audit_log"("idempotency_key");

-- CreateIndex
CREATE INDEX "idempotency_key_expires_at_idx" ON "idempotency_key"("expires_at");

-- CreateIndex
CREATE INDEX "metric_sample_metric_at_idx" ON "metric_sample"("metric", "at");

