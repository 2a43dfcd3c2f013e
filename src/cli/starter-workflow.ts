/**
 * The GitHub Actions workflow that `lockstep init --workflow` writes: Lockstep as an Action on
 * `pull_request_target`, with the least permissions it needs.
 */
export const STARTER_WORKFLOW = `# Lockstep as a GitHub Action: no server to host.
# Docs: https://github.com/lockstep-app/lockstep#github-action
#
# pull_request_target runs this file as it is on the base branch, with a token
# that can write checks and comments even for pull requests from forks. It must
# never check out or run the pull request's code: Lockstep reads the change
# through the API only, so there is no checkout step here. Keep it that way.
name: Lockstep

on:
  pull_request_target:
    types: [opened, reopened, synchronize, ready_for_review, edited]

permissions:
  checks: write # the Lockstep check run
  pull-requests: write # reviewer requests
  issues: write # the sticky comment and labels
  contents: read # .github/compliance.yml from the base branch

# One run per pull request at a time, so two pushes never race on the comment.
concurrency:
  group: lockstep-\${{ github.event.pull_request.number }}
  cancel-in-progress: false

jobs:
  lockstep:
    runs-on: ubuntu-latest
    steps:
      - uses: lockstep-app/lockstep@v1
        with:
          # The workflow's token works for everything but team reviewers: requesting a
          # team needs an organisation-scoped token (a GitHub App installation token,
          # or a fine-grained token with organisation "Members: read"), e.g.
          # github-token: \${{ secrets.LOCKSTEP_TOKEN }}
          github-token: \${{ secrets.GITHUB_TOKEN }}
        env:
          # Signs the sign-off record kept in Lockstep's comment. Without a secret of
          # your own, records are signed with a key anyone can know and can be forged.
          LOCKSTEP_STATE_KEY: \${{ secrets.LOCKSTEP_STATE_KEY }}
`;
