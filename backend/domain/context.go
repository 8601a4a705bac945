package domain

import "context"

type actorKey struct{}
type deviceKey struct{}

// WithActor returns ctx carrying the actor of an operation.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor carried by ctx, if any.
func ActorFrom(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok
}

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
