package power

// The parser's switches and counters, for the tests of package power_test (which load meters
// through landwatch/etl, a package that imports this one).
var (
	FastPowerCSV        = &fastPowerCSV
	FastBlock           = &fastBlock
	FastLoads           = &fastLoads
	MaxOtherMeters      = &maxOtherMeters
	ParseMeterDays      = &parseMeterDays
	ParsedMeterDays     = &parsedMeterDays
	SQLChecksReadings   = &sqlChecks.readings
	SQLChecksDuplicates = &sqlChecks.duplicates
	SQLChecksOverlap    = &sqlChecks.overlap
	ParseDecimal        = parseDecimal
	ParseTimestampUS    = parseTimestampUS
	PlainASCII          = plainASCII
	SplitASCIILine      = splitASCIILine
	SplitPlain          = splitPlain
)
