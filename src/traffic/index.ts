export { compileCurve, startClock, type RateFunction, type Curve } from './curve.ts';
export { ArrivalProcess } from './arrivals.ts';
export { WeightedChoice, clientAddress } from './mix.ts';
