package domain

import "context"

type deviceKey struct{}

// WithDevice returns ctx carrying the device a call comes from.
func WithDevice(ctx context.Context, d Device) context.Context {
	return context.WithValue(ctx, deviceKey{}, d)
}

// DeviceFrom returns the device carried by ctx (zero when unknown).
func DeviceFrom(ctx context.Context) Device {
	d, _ := ctx.Value(deviceKey{}).(Device)
	return d
}

// Label is how the history shows a device: "Atrium Desktop (linux) · host".
func (d Device) Label() string {
	s := d.Name
	if d.Platform != "" {
		s += " (" + d.Platform + ")"
	}
	if d.IP != "" {
		s += " · " + d.IP
	}
	return s
}
