-- CreateTable
CREATE TABLE "cluster_connection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "namesrv_addrs" TEXT NOT NULL,
    "read_only" BOOLEAN NOT NULL DEFAULT false,
    "access_key" TEXT,
    "secret_key" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_metric_sample" (
    "cluster" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "resolution_sec" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "value" REAL NOT NULL,

    PRIMARY KEY ("cluster", "scope", "name", "metric", "resolution_sec", "at")
);
-- No rows are carried over: nothing wrote metric_sample before this migration (the old shape had no series key).
DROP TABLE "metric_sample";
ALTER TABLE "new_metric_sample" RENAME TO "metric_sample";
CREATE INDEX "metric_sample_resolution_sec_at_idx" ON "metric_sample"("resolution_sec", "at");
CREATE INDEX "metric_sample_cluster_scope_metric_resolution_sec_at_idx" ON "metric_sample"("cluster", "scope", "metric", "resolution_sec", "at");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

