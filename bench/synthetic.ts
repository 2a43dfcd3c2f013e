import type { ChangedFile, Checklist } from "../src/types.js";
import { mulberry32 } from "../test/helpers/rng.js";

const DIRS = [
  "app/models", "app/controllers", "app/serializers", "app/views/users", "db/migrate", "lib/tasks", "config",
  "src/components", "src/api", "src/services", "src/utils", "packages/web/src", "packages/api/src/routes",
  "internal/store", "cmd/server", "pkg/billing", "terraform/modules/s3", "k8s/base", "docs/guides", "test/unit",
  "spec/models", "src/__tests__", "migrations", "prisma", "proto/user/v1", "graphql/schema",
];
const EXTS = [".rb", ".ts", ".tsx", ".py", ".go", ".java", ".sql", ".tf", ".yaml", ".md", ".json", ".graphql", ".proto", ".erb", ".css"];
const WORDS = ["user", "account", "order", "invoice", "session", "widget", "report", "profile", "payment", "event", "setting", "team"];
const CODE = [
  "  const total = items.reduce((sum, item) => sum + item.price, 0);",
  "  return render(json: @widget, status: :ok)",
  "def update(self, request, pk=None):",
  "    t.string :title, null: false",
  "  if err != nil { return nil, fmt.Errorf(\"load: %w\", err) }",
  "  private final List<Order> orders = new ArrayList<>();",
  "resource \"aws_instance\" \"web\" { instance_type = \"t3.micro\" }",
  "  <div className=\"card\">{props.children}</div>",
  "SELECT id, created_at FROM orders WHERE status = 'open';",
  "  logger.info(\"processed batch\", { count: batch.length });",
];
const SENSITIVE = [
  "    t.string :phone_number",
  "  add_column :users, :date_of_birth, :date",
  "  email = models.EmailField(unique=True)",
  "  logger.info(`signup ${user.email}`)",
  "  analytics.track(userId, 'Signed Up', { email })",
  "  \"@segment/analytics-node\": \"^2.1.0\",",
  "  retention_days = 30",
  "  stripe.charges.create({ amount, source: token })",
];

/** A synthetic pull request of `count` files carrying about `totalBytes` of patches, over realistic paths. */
export function syntheticPullRequest(count: number, totalBytes: number, seed = 1): ChangedFile[] {
  const r = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const perFile = Math.max(200, Math.floor(totalBytes / count));
  const files: ChangedFile[] = [];
  for (let i = 0; i < count; i++) {
    const filename = `${pick(DIRS)}/${pick(WORDS)}_${i}${pick(EXTS)}`;
    const lines: string[] = [];
    let size = 0;
    while (size < perFile) {
      const text = r() < 0.01 ? pick(SENSITIVE) : pick(CODE);
      const line = `${r() < 0.7 ? "+" : r() < 0.5 ? "-" : " "}${text}`;
      lines.push(line);
      size += line.length + 1;
    }
    const added = lines.filter((l) => !l.startsWith("-")).length;
    const removed = lines.filter((l) => !l.startsWith("+")).length;
    files.push({ filename, status: "modified", patch: `@@ -1,${removed} +1,${added} @@\n${lines.join("\n")}`, additions: added, deletions: removed });
  }
  return files;
}

/** `count` custom checklists shaped like real ones: a few globs and field-name patterns per trigger. */
export function syntheticChecklists(count: number, seed = 2): Checklist[] {
  const r = mulberry32(seed);
  const fields = ["ssn", "passport", "iban", "salary", "religion", "diagnosis", "gps", "imei", "tax_id", "license_plate", "biometric", "ethnicity"];
  return Array.from({ length: count }, (_, i) => {
    const f = fields.slice(0, 3 + Math.floor(r() * 6)).map((x) => `${x}${i}`);
    return {
      id: `custom-${i}`,
      title: `Custom ${i}`,
      summary: "Synthetic checklist for benchmarks.",
      references: [],
      reviewers: "counsel",
      exclude: ["**/test/**", "**/spec/**", "**/*.md"],
      triggers: [
        { paths: ["**/migrate/**", "**/migrations/**", "**/*.sql", "**/schema.prisma"], added_lines: [`(?i)\\b(${f.join("|")})\\b`], risk: "high" },
        { paths: ["**/models/**/*.{rb,py,ts}", "**/entities/**", "**/*.proto"], added_lines: f.map((x) => `(?i)${x}[_-]?(number|id)?`), risk: "medium" },
        { paths: [`**/custom${i}/**`], risk: "low" },
      ],
      items: [{ id: "review", text: "Review it.", owner: "counsel" }],
      examples: { fire: [], quiet: [] },
      source: `custom-${i}.yml`,
    } satisfies Checklist;
  });
}
