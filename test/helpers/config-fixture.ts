/* Kept apart from github-nock.ts so that benchmarks can use it without loading nock, which intercepts every fetch. */
/** The counsel config most tests use: one inline checklist with a trigger per risk. */
export const CONFIG = `
counsel:
  users: [alice]
  teams: [acme/legal]
checklists:
  # Only the test checklist below (and the always-on config checklist): the built-in library has its own tests.
  enable: [compliance-config]
  custom:
    - id: personal-data
      title: Personal data
      summary: The change collects or exposes personal data.
      references: ["GDPR Art. 5(1)(c) data minimisation"]
      triggers:
        - description: new personal-data column
          paths: ["db/migrate/**"]
          added_lines: ["(?i)date_of_birth|phone_number"]
          risk: high
        - description: serializer of user data
          paths: ["app/serializers/**"]
          risk: medium
        - description: docs about personal data
          paths: ["docs/privacy/**"]
          risk: low
      items:
        - id: lawful-basis
          text: The lawful basis for the new data is recorded.
          owner: counsel
        - id: retention
          text: The retention period is documented.
          owner: author
`;
