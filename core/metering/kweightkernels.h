#pragma once

// The K-weighting kernel bodies (private to meterkernels.cpp, which instantiates them once per instruction set):
// one channel, or four lanes side by side with the zero-input-response correlations kweightingsegments needs.

#include "meterkernels.h"
#include "vectorops.h"

#include <cstring>

namespace stemship::metering::kernels {

using namespace vectorops;

// Direct form I, the a1 term applied last: each section's feedback costs one FMA of latency per sample. V is
// double (one channel) or D4 (four lanes side by side); Input loads one frame or four of every lane.
template <class V, class Input, bool Correlate>
STEMSHIP_KERNEL_INLINE void kWeightBody(const Input &input, KFilterState *state, double *energy, double *correlation,
                                        const double *const *basis, std::size_t frames, const KFilterCoefficients &c)
{
    constexpr int kLanes = sizeof(V) / sizeof(double);
    const auto lane = [](V &v, int g) -> double & {
        if constexpr (kLanes == 1)
            return v;
        else
            return reinterpret_cast<double *>(&v)[g];
    };
    V x1{}, x2{}, y1{}, y2{}, z1{}, z2{}, e{}, k0{}, k1{}, k2{}, k3{};
    for (int g = 0; g < kLanes; ++g) {
        lane(x1, g) = state[g].x1;
        lane(x2, g) = state[g].x2;
        lane(y1, g) = state[g].y1;
        lane(y2, g) = state[g].y2;
        lane(z1, g) = state[g].z1;
        lane(z2, g) = state[g].z2;
        lane(e, g) = energy[g];
    }
    const auto step = [&](const V x0, std::size_t i) __attribute__((always_inline)) {
        const V y0 = c.pb0 * x0 + c.pb1 * x1 + c.pb2 * x2 - c.pa2 * y2 - c.pa1 * y1;
        const V z0 = y0 - 2.0 * y1 + y2 - c.ra2 * z2 - c.ra1 * z1;
        x2 = x1;
        x1 = x0;
        y2 = y1;
        y1 = y0;
        z2 = z1;
        z1 = z0;
        e += z0 * z0;
        if constexpr (Correlate) {
            k0 += basis[0][i] * z0;
            k1 += basis[1][i] * z0;
            k2 += basis[2][i] * z0;
            k3 += basis[3][i] * z0;
        }
    };
    std::size_t i = 0;
    for (; i + 4 <= frames; i += 4) {
        V block[4];
        input.four(i, block);
        step(block[0], i);
        step(block[1], i + 1);
        step(block[2], i + 2);
        step(block[3], i + 3);
    }
    for (; i < frames; ++i)
        step(input.one(i), i);
    for (int g = 0; g < kLanes; ++g) {
        state[g] = {lane(x1, g), lane(x2, g), lane(y1, g), lane(y2, g), lane(z1, g), lane(z2, g)};
        energy[g] = lane(e, g);
        if constexpr (Correlate) {
            correlation[0 * kLanes + g] += lane(k0, g);
            correlation[1 * kLanes + g] += lane(k1, g);
            correlation[2 * kLanes + g] += lane(k2, g);
            correlation[3 * kLanes + g] += lane(k3, g);
        }
    }
}

// Inputs of one channel.
struct OneChannel {
    const float *x;
    STEMSHIP_KERNEL_INLINE double one(std::size_t i) const { return double(x[i]); }
    STEMSHIP_KERNEL_INLINE void four(std::size_t i, double *out) const
    {
        for (int k = 0; k < 4; ++k)
            out[k] = double(x[i + std::size_t(k)]);
    }
};

// Inputs of four lanes, four frames at a time as a 4x4 transpose of one load per lane (an element-by-element
// gather costs about twice the shuffles).
struct FourLanes {
    const float *x0, *x1, *x2, *x3;
    STEMSHIP_KERNEL_INLINE D4 one(std::size_t i) const
    {
        const F4 v = {x0[i], x1[i], x2[i], x3[i]};
        return __builtin_convertvector(v, D4);
    }
    STEMSHIP_KERNEL_INLINE void four(std::size_t i, D4 *out) const
    {
        F4 a, b, c, d;
        std::memcpy(&a, x0 + i, sizeof a);
        std::memcpy(&b, x1 + i, sizeof b);
        std::memcpy(&c, x2 + i, sizeof c);
        std::memcpy(&d, x3 + i, sizeof d);
        const F4 ab01 = __builtin_shufflevector(a, b, 0, 4, 1, 5);
        const F4 ab23 = __builtin_shufflevector(a, b, 2, 6, 3, 7);
        const F4 cd01 = __builtin_shufflevector(c, d, 0, 4, 1, 5);
        const F4 cd23 = __builtin_shufflevector(c, d, 2, 6, 3, 7);
        out[0] = __builtin_convertvector(__builtin_shufflevector(ab01, cd01, 0, 1, 4, 5), D4);
        out[1] = __builtin_convertvector(__builtin_shufflevector(ab01, cd01, 2, 3, 6, 7), D4);
        out[2] = __builtin_convertvector(__builtin_shufflevector(ab23, cd23, 0, 1, 4, 5), D4);
        out[3] = __builtin_convertvector(__builtin_shufflevector(ab23, cd23, 2, 3, 6, 7), D4);
    }
};

STEMSHIP_KERNEL_INLINE void kWeightOne(const float *x, KFilterState &state, double &energy, std::size_t frames,
                                       const KFilterCoefficients &c)
{
    kWeightBody<double, OneChannel, false>(OneChannel{x}, &state, &energy, nullptr, nullptr, frames, c);
}

STEMSHIP_KERNEL_INLINE void kWeightFour(const float *const *x, KFilterState *state, double *energy,
                                        double *correlation, const double *const *basis, std::size_t frames,
                                        const KFilterCoefficients &c)
{
    const FourLanes input{x[0], x[1], x[2], x[3]};
    if (correlation)
        kWeightBody<D4, FourLanes, true>(input, state, energy, correlation, basis, frames, c);
    else
        kWeightBody<D4, FourLanes, false>(input, state, energy, nullptr, nullptr, frames, c);
}

}  // namespace stemship::metering::kernels
