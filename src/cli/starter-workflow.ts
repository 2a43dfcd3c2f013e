/**
 * The GitHub Actions workflow that `lockstep init --workflow` writes: Lockstep as an Action on
 * `pull_request_target` (and the events sign-off needs), with the least permissions it needs.
 * `examples/lockstep-workflow.yml` is the same file (a test keeps them equal).
 */
export const STARTER_WORKFLOW = `# Lockstep as a GitHub Action: copy to .github/workflows/lockstep.yml.
# Docs: docs/action.md
#
# pull_request_target runs this file as it is on the base branch, with a token that can write
# checks and comments even for pull requests from forks. Lockstep reads the change through the
# API only: never add a checkout of the pull request's code to this workflow.
name: Lockstep

on:
  pull_request_target:
    types: [opened, reopened, synchronize, ready_for_review, edited]
  # Ticks in Lockstep's comment and \`/lockstep recheck\` / \`/lockstep waive …\` commands.
  issue_comment:
    types: [created, edited]
  # Counsel's approvals (same-repository pull requests; see docs/action.md for forks).
  pull_request_review:
    types: [submitted, dismissed]
  # A required \`Lockstep\` check must not stall a merge queue.
  merge_group:
    types: [checks_requested]

permissions:
  checks: write # the Lockstep check run
  pull-requests: write # reviewer requests, reading the changed files
  issues: write # the sticky comment and labels
  contents: read # .github/compliance.yml from the base branch

# One run per pull request at a time, so two events never race on the comment.
concurrency:
  group: lockstep-\${{ github.event.pull_request.number || github.event.issue.number || github.ref }}
  cancel-in-progress: false

jobs:
  lockstep:
    # Named so that it is not mistaken for the \`Lockstep\` check run that branch rules require.
    name: Lockstep runner
    # Comments on plain issues are none of Lockstep's business, and a review of a fork's pull
    # request comes with a read-only token: there, counsel ticks the boxes in the comment instead.
    if: >-
      (github.event_name != 'issue_comment' || github.event.issue.pull_request) &&
      (github.event_name != 'pull_request_review' || github.event.pull_request.head.repo.full_name == github.repository)
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - uses: lockstep-app/lockstep@v1
        with:
          # The default: the workflow's GITHUB_TOKEN. For team reviewers and an org-wide
          # configuration, pass an App installation token instead (docs/action.md).
          github-token: \${{ github.token }}
          # Signs the sign-off record kept in Lockstep's comment. Create the secret once
          # (e.g. \`openssl rand -hex 32\`); without it records can be forged.
          state-key: \${{ secrets.LOCKSTEP_STATE_KEY }}
`;
