// Runs once before the suite: generated fixtures are built here by the fixture generator (issue 3).
export default async function setup(): Promise<void> {}
