#pragma once

// GCC vector-extension helpers for the metering kernels (private to meterkernels.cpp). Everything is always
// inlined into the per-ISA kernel wrappers, so no out-of-line copy compiled for one ISA can serve another.

#include <cstdint>
#include <cstring>

#define STEMSHIP_KERNEL_INLINE inline __attribute__((always_inline))

#pragma GCC diagnostic ignored "-Wpsabi"  // vectors only cross always-inline boundaries

namespace stemship::metering::vectorops {

typedef float F8 __attribute__((vector_size(32)));
typedef float F4 __attribute__((vector_size(16)));
typedef float F2 __attribute__((vector_size(8)));
typedef std::int32_t I8 __attribute__((vector_size(32)));
typedef double D4 __attribute__((vector_size(32)));
typedef double D2 __attribute__((vector_size(16)));

STEMSHIP_KERNEL_INLINE float absf(float v)
{
    return __builtin_fabsf(v);
}

STEMSHIP_KERNEL_INLINE float maxf(float a, float b)
{
    return a > b ? a : b;
}

// Each instruction set works at its native width: GCC lowers 256-bit comparisons and selects to scalar code on
// SSE2, so the baseline set uses 128-bit vectors and the AVX2 set 256-bit ones.
struct Sse2 {
    using F = F4;
    using I = std::int32_t __attribute__((vector_size(16)));
    using D = D2;
    static constexpr int kFloats = 4;
    static constexpr int kDoubles = 2;
    STEMSHIP_KERNEL_INLINE static D low(F v) { return __builtin_convertvector(__builtin_shufflevector(v, v, 0, 1), D); }
    STEMSHIP_KERNEL_INLINE static D high(F v) { return __builtin_convertvector(__builtin_shufflevector(v, v, 2, 3), D); }
};

struct Avx2 {
    using F = F8;
    using I = I8;
    using D = D4;
    static constexpr int kFloats = 8;
    static constexpr int kDoubles = 4;
    STEMSHIP_KERNEL_INLINE static D low(F v)
    {
        return __builtin_convertvector(__builtin_shufflevector(v, v, 0, 1, 2, 3), D);
    }
    STEMSHIP_KERNEL_INLINE static D high(F v)
    {
        return __builtin_convertvector(__builtin_shufflevector(v, v, 4, 5, 6, 7), D);
    }
};

template <class Isa> STEMSHIP_KERNEL_INLINE typename Isa::F load(const float *p)
{
    typename Isa::F v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

template <class Isa> STEMSHIP_KERNEL_INLINE typename Isa::F absv(typename Isa::F v)
{
    using I = typename Isa::I;
    return reinterpret_cast<typename Isa::F>(reinterpret_cast<I>(v) & 0x7fffffff);
}

template <class Isa> STEMSHIP_KERNEL_INLINE typename Isa::F maxv(typename Isa::F a, typename Isa::F b)
{
    return a > b ? a : b;
}

template <class Isa> STEMSHIP_KERNEL_INLINE float horizontalMax(typename Isa::F v)
{
    float m = v[0];
    for (int j = 1; j < Isa::kFloats; ++j)
        m = maxf(v[j], m);
    return m;
}

}  // namespace stemship::metering::vectorops
