-- CreateEnum
CREATE TYPE "OperationResult" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED', 'UNKNOWN');

-- CreateTable
CREATE TABLE "audit_log" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target_type" TEXT NOT NULL,
    "target_id" TEXT,
    "cluster" TEXT,
    "request_json" TEXT NOT NULL,
    "result" "OperationResult" NOT NULL DEFAULT 'PENDING',
    "error_code" TEXT,
    "error_message" TEXT,
    "duration_ms" INTEGER,
    "idempotency_key" TEXT,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_key" (
    "key" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "status" "OperationResult" NOT NULL DEFAULT 'PENDING',
    "response_json" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "idempotency_key_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "cluster_connection" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "namesrv_addrs" TEXT NOT NULL,
    "read_only" BOOLEAN NOT NULL DEFAULT false,
    "access_key" TEXT,
    "secret_key" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "cluster_connection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "metric_sample" (
    "cluster" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "resolution_sec" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "metric_sample_pkey" PRIMARY KEY ("cluster","scope","name","metric","resolution_sec","at")
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
CREATE INDEX "metric_sample_resolution_sec_at_idx" ON "metric_sample"("resolution_sec", "at");

-- CreateIndex
CREATE INDEX "metric_sample_cluster_scope_metric_resolution_sec_at_idx" ON "metric_sample"("cluster", "scope", "metric", "resolution_sec", "at");

