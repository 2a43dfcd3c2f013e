/**
 * The commented `.github/compliance.yml` that `lockstep init` writes: every key, its default, and
 * what to change first. It must pass `lockstep validate` as written (test/cli/init.test.ts).
 */
export const STARTER_CONFIG = `# yaml-language-server: $schema=https://raw.githubusercontent.com/lockstep-app/lockstep/main/schemas/compliance.schema.json
#
# Lockstep: compliance review checklists, matched against every pull request.
# Reference: https://github.com/lockstep-app/lockstep/blob/main/docs/config.md
#
# Lockstep reads this file from the pull request's base branch, so a pull request
# cannot weaken the check that judges it. Check your edits with: npx lockstep validate
#
# Every value below is the default. Two things to do first:
#   1. Fill in counsel (and any other roles) below.
#   2. Start with a dry run: set block_at: never for a week or two, read what
#      Lockstep comments on real pull requests, re-tune, then go back to high.

# Inherit the organisation's defaults (the org's .github repository) first:
# _extends: .github

# Who signs off "counsel" review items and is asked to review risky changes.
counsel:
  users: [] # GitHub logins, e.g. [jane-counsel]
  teams: [] # team slugs, e.g. [legal] or [acme/legal]

# Other reviewer roles that checklists name, each with users and teams.
roles: {}
#  privacy:
#    teams: [privacy-office]
#  security:
#    users: [sec-lead]

# Risk thresholds: low, medium, high, or never.
comment_at: low # post the pull request comment from this risk up
request_review_at: medium # request the checklist's reviewers from this risk up
block_at: high # the Lockstep check waits for sign-off from this risk up (never = dry run)

checklists:
  enable: [] # run only these built-in checklists; empty runs them all (npx lockstep checklists)
  disable: [] # built-in checklists not to run
  risk: {} # re-tune a checklist, e.g. { payments: medium }
  files: [] # checklists kept in this repository, e.g. [.github/compliance/vendors.yml]
  custom: [] # checklists written inline, in the checklist format (docs/checklists.md)

# Globs no checklist ever looks at: generated or vendored code.
exclude: []
#  - "vendor/**"
#  - "**/*.generated.ts"

# Labels such as "compliance: high" on judged pull requests.
labels:
  enabled: true
  prefix: "compliance: "

# Draft pull requests: evaluate (comment and check, reviewers wait until ready)
# or skip (nothing until ready for review).
drafts: evaluate
`;
