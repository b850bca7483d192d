package models

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func TestChooseResolutionAuto(t *testing.T) {
	for name, tc := range map[string]struct {
		from, to  time.Time
		maxPoints int64
		want      string
		notice    string
	}{
		"six hours fits minutes":       {now.Add(-6 * time.Hour), now, 1000, ResolutionMinute, ""},
		"two days is too many minutes": {now.Add(-48 * time.Hour), now, 1000, ResolutionHour, ""},
		"two days on a wide panel":     {now.Add(-48 * time.Hour), now, 3000, ResolutionMinute, ""},
		"no max data points":           {now.Add(-24 * time.Hour), now, 0, ResolutionMinute, ""},
		"old day needs hours":          {now.Add(-40 * 24 * time.Hour), now.Add(-39 * 24 * time.Hour), 2000, ResolutionHour, "Showing hour data: Fastly keeps minute data for 35 days only."},
		"two years is days":            {now.Add(-730 * 24 * time.Hour), now, 2000, ResolutionDay, ""},
		"old week needs days":          {now.Add(-400 * 24 * time.Hour), now.Add(-393 * 24 * time.Hour), 20000, ResolutionDay, "Showing day data: Fastly keeps minute data for 35 days only."},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := ChooseResolution(ResolutionAuto, tc.from, tc.to, now, tc.maxPoints)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got.Resolution)
			assert.Equal(t, tc.notice, got.Notice)
		})
	}
}

func TestChooseResolutionExplicit(t *testing.T) {
	got, err := ChooseResolution(ResolutionMinute, now.Add(-30*24*time.Hour), now, now, 100)
	require.NoError(t, err)
	assert.Equal(t, ResolutionMinute, got.Resolution, "an explicit choice is honoured even past maxDataPoints")

	_, err = ChooseResolution(ResolutionMinute, now.Add(-36*24*time.Hour), now, now, 100)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Fastly keeps minute data for 35 days only, and this range starts 36 days ago")

	_, err = ChooseResolution(ResolutionHour, now.Add(-400*24*time.Hour), now, now, 100)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "hour data for 375 days only")

	_, err = ChooseResolution(ResolutionDay, now, now, now, 100)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the time range is empty")
}

func TestBucketSeconds(t *testing.T) {
	assert.Equal(t, int64(60), BucketSeconds(ResolutionMinute))
	assert.Equal(t, int64(3600), BucketSeconds(ResolutionHour))
	assert.Equal(t, int64(86400), BucketSeconds(ResolutionDay))
	assert.Equal(t, int64(0), BucketSeconds(ResolutionAuto))
}
