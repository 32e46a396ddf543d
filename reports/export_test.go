package reports

// The report fixture for the tests of other packages' code that writes reports (schedule_test.go).
var (
	FixtureDB   = fixtureDB
	FixtureAsOf = fixtureAsOf
)
