-- AlterTable
ALTER TABLE "audit_log" ADD COLUMN     "replayed" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "result_json" TEXT;
