package synth

import (
	"math"
	"math/rand/v2"
	"time"
)

// date is a calendar day counted from 1970-01-01. All generator arithmetic uses it, so no time
// zone and no clock can leak into the output.
type date int32

func mkDate(t time.Time) date { return date(t.Unix() / 86400) }

func ymd(y, m, d int) date { return mkDate(time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)) }

func (d date) time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// String is YYYY-MM-DD; the zero date (1970-01-01) is used as "none" and prints empty.
func (d date) String() string {
	if d == 0 {
		return ""
	}
	return d.time().Format("2006-01-02")
}

func (d date) compact() string { return d.time().Format("20060102") }

// monday is the Monday of the ISO week holding d.
func (d date) monday() date {
	wd := int(d.time().Weekday()) // Sunday = 0
	return d - date((wd+6)%7)
}

// sunday is the Sunday closing the ISO week holding d.
func (d date) sunday() date { return d.monday() + 6 }

// isoWeek is the ISO week number of d.
func (d date) isoWeek() int {
	_, wk := d.time().ISOWeek()
	return wk
}

// isoYearWeek is the ISO year and week of d.
func (d date) isoYearWeek() (int, int) { return d.time().ISOWeek() }

// rng is the generator's one source of randomness: a seeded PCG, consumed in a fixed order.
type rng struct{ *rand.Rand }

func newRNG(seed int64, stream uint64) rng {
	return rng{rand.New(rand.NewPCG(uint64(seed), stream))}
}

func (r rng) pick(list []string) string { return list[r.IntN(len(list))] }

// mix is splitmix64's finalizer: a fast, stateless hash used for the hourly readings so that any
// reading can be recomputed from (seed, meter, hour) alone.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

const earthRadiusM = 6371008.8

// haversine is the great-circle distance in metres.
func haversine(lon1, lat1, lon2, lat2 float64) float64 {
	rad := math.Pi / 180
	dlat := (lat2 - lat1) * rad
	dlon := (lon2 - lon1) * rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * earthRadiusM * math.Asin(math.Min(1, math.Sqrt(a)))
}

// offset moves a point by dx metres east and dy metres north.
func offset(lon, lat, dx, dy float64) (float64, float64) {
	rad := math.Pi / 180
	return lon + dx/(earthRadiusM*math.Cos(lat*rad)*rad), lat + dy/(earthRadiusM*rad)
}

// round6 rounds a coordinate to 6 decimals (≈ 0.1 m), the precision the files carry.
func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }

type point struct{ lon, lat float64 }
