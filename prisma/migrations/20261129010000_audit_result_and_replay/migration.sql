-- AlterTable
ALTER TABLE "audit_log" ADD COLUMN "replayed" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "audit_log" ADD COLUMN "result_json" TEXT;
