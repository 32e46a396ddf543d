package queries

import "testing"

// TestCustomerTypeThresholds: meters of the configured customer types 非煤矿山 and 危化企业 are held
// to their own thresholds (campaign/default.toml [[power.customer_type]]), other meters to the
// [power] ones, on the same readings.
func TestCustomerTypeThresholds(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	three := []string{"2023-03-10", "2023-03-12", "2023-03-16"}
	// night 1.3 × day, 208 kWh a night: 非煤矿山 (1.2, 200 kWh) yes, 小工厂 (1.5) no
	f.meter("N1", "非煤矿山", 112.30, 36.50)
	f.readings("N1", 60, nightDay(20, 10, 26, three...))
	f.meter("F1", "小工厂", 112.31, 36.50)
	f.readings("F1", 60, nightDay(20, 10, 26, three...))
	// night 2 × day but only 32 kWh a night: 小工厂 (20 kWh) yes, 非煤矿山 (200 kWh) no
	f.meter("N2", "非煤矿山", 112.32, 36.50)
	f.readings("N2", 60, nightDay(2, 1, 4, three...))
	f.meter("F2", "小工厂", 112.33, 36.50)
	f.readings("F2", 60, nightDay(2, 1, 4, three...))
	// 危化企业 (2.0, 300 kWh): 1.8 × day is not enough, 2.0 × day with 400 kWh is
	f.meter("H1", "危化企业", 112.34, 36.50)
	f.readings("H1", 60, nightDay(25, 20, 45, three...))
	f.meter("H2", "危化企业", 112.35, 36.50)
	f.readings("H2", 60, nightDay(25, 20, 50, three...))
	// surge 2.5 × a 400 kWh/day baseline (+600 a day): 非煤矿山 (2.0, +500) yes, 洗煤厂 (3.0) no
	surge := "CASE WHEN CAST(ts AS DATE) BETWEEN DATE '2023-04-01' AND DATE '2023-04-07' THEN 1000 / 24.0 ELSE 400 / 24.0 END"
	f.meter("N3", "非煤矿山", 112.36, 36.50)
	f.readings("N3", 60, surge)
	f.meter("W3", "洗煤厂", 112.37, 36.50)
	f.readings("W3", 60, surge)

	f.run("2023-04-30")
	got := f.alerts()
	if k := keys(got); k != "F2-NOD-20230310 H2-NOD-20230310 N1-NOD-20230310 N3-SRG-20230401" {
		t.Fatalf("alerts %s", k)
	}
	expect(t, "N1", got["N1-NOD-20230310"], row{"customer_type": "非煤矿山", "rule": "night_over_day", "last_day": "2023-03-16", "score": 624.0})
	expect(t, "H2", got["H2-NOD-20230310"], row{"customer_type": "危化企业", "score": 1200.0})
	expect(t, "N3", got["N3-SRG-20230401"], row{"customer_type": "非煤矿山", "rule": "surge", "first_day": "2023-04-01", "last_day": "2023-04-07"})
	types := f.query(`SELECT customer_type, night_ratio, night_min_kwh, surge_ratio, surge_min_increase_kwh FROM stg_config__customer_types
		WHERE customer_type IN ('非煤矿山', '危化企业', '小工厂') ORDER BY sort_order`)
	want := []row{
		{"customer_type": "小工厂", "night_ratio": 1.5, "night_min_kwh": 20.0, "surge_ratio": 3.0, "surge_min_increase_kwh": 50.0},
		{"customer_type": "非煤矿山", "night_ratio": 1.2, "night_min_kwh": 200.0, "surge_ratio": 2.0, "surge_min_increase_kwh": 500.0},
		{"customer_type": "危化企业", "night_ratio": 2.0, "night_min_kwh": 300.0, "surge_ratio": 2.0, "surge_min_increase_kwh": 500.0},
	}
	if len(types) != len(want) {
		t.Fatalf("customer types %v", types)
	}
	for i := range want {
		expect(t, want[i]["customer_type"].(string), types[i], want[i])
	}
}
