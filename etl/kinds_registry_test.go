package etl

import (
	"testing"

	"landwatch/campaign"
)

// TestKindsRegistry: the one registry of input kinds (campaign.InputKinds) and the loaders agree:
// every kind of the registry is one ParseKind takes, and has a converter unless it is a folder
// (power-alerts) or a reading file (power, loaded by its own fast path); every converter's kind and
// every kind of the load order is in the registry.
func TestKindsRegistry(t *testing.T) {
	in := map[string]bool{}
	for _, k := range campaign.InputKinds {
		in[k.Name] = true
		if _, err := ParseKind(k.Name); err != nil {
			t.Errorf("registry kind %s: %v", k.Name, err)
		}
		if k.Label == "" || campaign.Label("input", k.Name) != k.Label {
			t.Errorf("registry kind %s: label %q, the label table says %q", k.Name, k.Label, campaign.Label("input", k.Name))
		}
		if _, ok := converters[Kind(k.Name)]; !ok && k.Name != string(KindPowerAlerts) && k.Name != string(KindPower) {
			t.Errorf("registry kind %s has no converter", k.Name)
		}
	}
	for k := range converters {
		if !in[string(k)] {
			t.Errorf("converter of %s: not in campaign.InputKinds", k)
		}
	}
	for _, k := range Kinds {
		if !in[string(k)] {
			t.Errorf("load order kind %s: not in campaign.InputKinds", k)
		}
	}
	if len(in) != len(campaign.InputKinds) {
		t.Errorf("campaign.InputKinds names a kind twice")
	}
}
