/** The counsel config and migration the real-server integration tests share. */
export function integrationConfig(options: { enable?: string[] } = {}): string {
  const enable = options.enable ? `  enable: [${options.enable.join(", ")}]\n` : "";
  return `
counsel: { users: [alice], teams: [acme/legal] }
checklists:
${enable}  custom:
    - id: personal-data
      title: Personal data
      summary: The change collects personal data.
      triggers:
        - { paths: ["db/migrate/**"], added_lines: ["date_of_birth"], risk: high }
      items:
        - { id: lawful-basis, text: The lawful basis is recorded., owner: counsel }
`;
}

/** A high-risk file under `integrationConfig`: a new date-of-birth column. */
export const MIGRATION = { filename: "db/migrate/001_add_dob.rb", status: "added", additions: 1, deletions: 0, changes: 1, patch: "@@ -0,0 +1 @@\n+add_column :users, :date_of_birth, :date" };
