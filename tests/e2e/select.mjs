// Choosing an option of an Element Plus <el-select> in a real browser, shared by the e2e files.
//
// The dropdown is rendered in a popper outside the select, and it closes with a transition: until
// it is gone, a click meant for the next control can land on its overlay (seen on a loaded CI
// machine). So a pick gives the dropdown a moment to close before it returns. Some selects keep
// their dropdown on screen after a pick (it closes with the next click elsewhere); the wait is
// bounded for them, and the next step's own checks say whether the pick took.

/** Opens the select `selectTestId` and clicks its option `optionTestId`; returns once the dropdown is closed. */
export async function pickOption(page, selectTestId, optionTestId) {
  await page.locator(`[data-testid="${selectTestId}"]`).click()
  const option = page.locator(`li[data-testid="${optionTestId}"]`).filter({ visible: true }).first()
  await option.waitFor({ state: 'visible' })
  await option.click()
  await option.waitFor({ state: 'hidden', timeout: 3_000 }).catch(() => {})
}
