;; tapegrad CPU backend: single-precision GEMM and fused epilogues in WebAssembly SIMD128.
;;
;; Compiled by scripts/build-wasm.mjs into matmul_bytes.ts (twice: as written, and with the
;; multiply-add pairs of the microkernel rewritten to relaxed-simd `f32x4.relaxed_madd`, which
;; index.ts uses only where WebAssembly.validate accepts it).
;;
;; Design (GotoBLAS-style, so that all four transpose combinations run the same inner loop):
;;   * Every operand lives in the imported linear memory; all pointers are byte offsets.
;;   * k is split into near-equal blocks of at most kcMax (so a packed B panel, kc x 8 floats,
;;     stays in L1 while an A block, mc x kc floats, stays in L2).
;;   * Per k block, B is packed into panels of NR = 8 columns ([p][8] contiguous), and per mc
;;     rows A is packed into strips of MR = 4 rows ([p][4] contiguous). The pack routine reads
;;     either layout (transposed or not) with unit-stride SIMD loads: a plain copy when the 4/8
;;     lanes are contiguous in the source, a 4x4 register transpose when depth is contiguous.
;;     Ragged edges are zero-padded, so the microkernel always computes a full 4x8 tile.
;;   * The 4x8 microkernel keeps the tile in 8 v128 locals and per depth step does one
;;     load32_splat of A per row and two loads of B. Measured on x86 V8 (16 xmm registers):
;;     4x8 with no unrolling beats 6x8, 8x8, 4x16 and unrolled variants (those spill).
;;   * Edge tiles go through a 4x8 scratch tile and are copied back element by element.
;;   * bias + activation is applied in one pass after the last k block (O(mn), cheap).
(module
  (import "env" "memory" (memory 1))

  ;; ---------------------------------------------------------------------------------------
  ;; 4x8 microkernel: C[4][8] (row stride ldc bytes) (+)= Apacked[kc][4] * Bpacked[kc][8].
  ;; accum = 0 overwrites C (first k block), 1 adds to it (later k blocks). kc >= 1.
  (func $ukernel (param $pa i32) (param $pb i32) (param $c i32) (param $ldc i32)
                 (param $kc i32) (param $accum i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $a v128)
    (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local.set $r1 (i32.add (local.get $c) (local.get $ldc)))
    (local.set $r2 (i32.add (local.get $r1) (local.get $ldc)))
    (local.set $r3 (i32.add (local.get $r2) (local.get $ldc)))
    (if (local.get $accum)
      (then
        (local.set $c00 (v128.load (local.get $c)))
        (local.set $c01 (v128.load offset=16 (local.get $c)))
        (local.set $c10 (v128.load (local.get $r1)))
        (local.set $c11 (v128.load offset=16 (local.get $r1)))
        (local.set $c20 (v128.load (local.get $r2)))
        (local.set $c21 (v128.load offset=16 (local.get $r2)))
        (local.set $c30 (v128.load (local.get $r3)))
        (local.set $c31 (v128.load offset=16 (local.get $r3)))))
    (loop $k
      (local.set $b0 (v128.load (local.get $pb)))
      (local.set $b1 (v128.load offset=16 (local.get $pb)))
      ;; The eight `acc = acc + a*b` lines below are rewritten by build-wasm.mjs into
      ;; f32x4.relaxed_madd for the relaxed-simd variant; keep their exact shape.
      (local.set $a (v128.load32_splat (local.get $pa)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $a) (local.get $b0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $a) (local.get $b1))))
      (local.set $a (v128.load32_splat offset=4 (local.get $pa)))
      (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $a) (local.get $b0))))
      (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $a) (local.get $b1))))
      (local.set $a (v128.load32_splat offset=8 (local.get $pa)))
      (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $a) (local.get $b0))))
      (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $a) (local.get $b1))))
      (local.set $a (v128.load32_splat offset=12 (local.get $pa)))
      (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $a) (local.get $b0))))
      (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $a) (local.get $b1))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
      (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
      (br_if $k (local.tee $kc (i32.sub (local.get $kc) (i32.const 1)))))
    (v128.store (local.get $c) (local.get $c00))
    (v128.store offset=16 (local.get $c) (local.get $c01))
    (v128.store (local.get $r1) (local.get $c10))
    (v128.store offset=16 (local.get $r1) (local.get $c11))
    (v128.store (local.get $r2) (local.get $c20))
    (v128.store offset=16 (local.get $r2) (local.get $c21))
    (v128.store (local.get $r3) (local.get $c30))
    (v128.store offset=16 (local.get $r3) (local.get $c31)))

  ;; ---------------------------------------------------------------------------------------
  ;; Pack one panel: dst[p*W + l] = l < nv ? src[l*ls + p*ps] : 0, for p < kc, l < W.
  ;; W is 4 (A strips) or 8 (B panels); ls/ps are element strides of the lane and depth
  ;; directions in the source. One of them is always 1, which selects a SIMD fast path for
  ;; full panels; partial panels (matrix edges) take the scalar zero-padding path.
  (func $pack (param $src i32) (param $ls i32) (param $ps i32) (param $nv i32) (param $W i32)
              (param $kc i32) (param $dst i32)
    (local $p i32) (local $l i32) (local $s i32) (local $d i32)
    (local $Wb i32) (local $lsb i32) (local $psb i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $Wb (i32.shl (local.get $W) (i32.const 2)))
    (local.set $lsb (i32.shl (local.get $ls) (i32.const 2)))
    (local.set $psb (i32.shl (local.get $ps) (i32.const 2)))
    (if (i32.eq (local.get $nv) (local.get $W))
      (then
        ;; Lanes contiguous in the source (A transposed, B plain): copy W floats per depth.
        (if (i32.eq (local.get $ls) (i32.const 1))
          (then
            (local.set $s (local.get $src))
            (local.set $d (local.get $dst))
            (local.set $p (local.get $kc))
            (if (i32.eq (local.get $W) (i32.const 8))
              (then
                (loop $p8
                  (v128.store (local.get $d) (v128.load (local.get $s)))
                  (v128.store offset=16 (local.get $d) (v128.load offset=16 (local.get $s)))
                  (local.set $s (i32.add (local.get $s) (local.get $psb)))
                  (local.set $d (i32.add (local.get $d) (i32.const 32)))
                  (br_if $p8 (local.tee $p (i32.sub (local.get $p) (i32.const 1))))))
              (else
                (loop $p4
                  (v128.store (local.get $d) (v128.load (local.get $s)))
                  (local.set $s (i32.add (local.get $s) (local.get $psb)))
                  (local.set $d (i32.add (local.get $d) (i32.const 16)))
                  (br_if $p4 (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))))
            (return)))
        ;; Depth contiguous in the source (A plain, B transposed): read 4 lanes x 4 depths,
        ;; transpose the 4x4 block in registers, write 4 depth rows of the panel.
        (if (i32.eq (local.get $ps) (i32.const 1))
          (then
            (local.set $l (i32.const 0))
            (loop $groups
              (local.set $s (i32.add (local.get $src)
                                     (i32.mul (local.get $l) (local.get $lsb))))
              (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $l) (i32.const 2))))
              (local.set $p (i32.const 4))
              (block $done4
                (loop $depth4
                  (br_if $done4 (i32.gt_u (local.get $p) (local.get $kc)))
                  (local.set $r0 (v128.load (local.get $s)))
                  (local.set $r1 (v128.load (i32.add (local.get $s) (local.get $lsb))))
                  (local.set $r2 (v128.load (i32.add (local.get $s)
                                                     (i32.shl (local.get $lsb) (i32.const 1)))))
                  (local.set $r3 (v128.load (i32.add (local.get $s)
                                                     (i32.mul (local.get $lsb) (i32.const 3)))))
                  ;; t0 = r0[0] r1[0] r0[1] r1[1]   t1 = r2[0] r3[0] r2[1] r3[1]
                  ;; t2 = r0[2] r1[2] r0[3] r1[3]   t3 = r2[2] r3[2] r2[3] r3[3]
                  (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
                                                (local.get $r0) (local.get $r1)))
                  (local.set $t1 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
                                                (local.get $r2) (local.get $r3)))
                  (local.set $t2 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
                                                (local.get $r0) (local.get $r1)))
                  (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
                                                (local.get $r2) (local.get $r3)))
                  ;; depth q row = r0[q] r1[q] r2[q] r3[q]
                  (v128.store (local.get $d)
                    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                                   (local.get $t0) (local.get $t1)))
                  (local.set $d (i32.add (local.get $d) (local.get $Wb)))
                  (v128.store (local.get $d)
                    (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
                                   (local.get $t0) (local.get $t1)))
                  (local.set $d (i32.add (local.get $d) (local.get $Wb)))
                  (v128.store (local.get $d)
                    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                                   (local.get $t2) (local.get $t3)))
                  (local.set $d (i32.add (local.get $d) (local.get $Wb)))
                  (v128.store (local.get $d)
                    (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
                                   (local.get $t2) (local.get $t3)))
                  (local.set $d (i32.add (local.get $d) (local.get $Wb)))
                  (local.set $s (i32.add (local.get $s) (i32.const 16)))
                  (local.set $p (i32.add (local.get $p) (i32.const 4)))
                  (br $depth4)))
              ;; depth tail (kc mod 4): one depth row of 4 lanes at a time
              (local.set $p (i32.sub (local.get $p) (i32.const 4)))
              (block $done1
                (loop $depth1
                  (br_if $done1 (i32.ge_u (local.get $p) (local.get $kc)))
                  (f32.store (local.get $d) (f32.load (local.get $s)))
                  (f32.store offset=4 (local.get $d)
                    (f32.load (i32.add (local.get $s) (local.get $lsb))))
                  (f32.store offset=8 (local.get $d)
                    (f32.load (i32.add (local.get $s) (i32.shl (local.get $lsb) (i32.const 1)))))
                  (f32.store offset=12 (local.get $d)
                    (f32.load (i32.add (local.get $s) (i32.mul (local.get $lsb) (i32.const 3)))))
                  (local.set $d (i32.add (local.get $d) (local.get $Wb)))
                  (local.set $s (i32.add (local.get $s) (i32.const 4)))
                  (local.set $p (i32.add (local.get $p) (i32.const 1)))
                  (br $depth1)))
              (br_if $groups (i32.lt_u (local.tee $l (i32.add (local.get $l) (i32.const 4)))
                                       (local.get $W))))
            (return)))))
    ;; Generic scalar path with zero padding (edge panels only).
    (local.set $d (local.get $dst))
    (local.set $p (i32.const 0))
    (loop $gp
      (local.set $s (i32.add (local.get $src) (i32.mul (local.get $p) (local.get $psb))))
      (local.set $l (i32.const 0))
      (loop $gl
        (f32.store (local.get $d)
          (if (result f32) (i32.lt_u (local.get $l) (local.get $nv))
            (then (f32.load (i32.add (local.get $s) (i32.mul (local.get $l) (local.get $lsb)))))
            (else (f32.const 0))))
        (local.set $d (i32.add (local.get $d) (i32.const 4)))
        (br_if $gl (i32.lt_u (local.tee $l (i32.add (local.get $l) (i32.const 1)))
                             (local.get $W))))
      (br_if $gp (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 1)))
                           (local.get $kc)))))

  ;; ---------------------------------------------------------------------------------------
  ;; exp for 4 lanes (Cephes expf: range reduction by ln2 split in two, degree-6 polynomial;
  ;; about 1 ulp on the clamped range). Input clamped so that 2^n stays a normal float.
  (func $exp4 (param $x v128) (result v128)
    (local $fx v128) (local $r v128) (local $y v128)
    (local.set $x (f32x4.min (f32x4.max (local.get $x) (f32x4.splat (f32.const -87.33654)))
                             (f32x4.splat (f32.const 88.0))))
    (local.set $fx (f32x4.nearest (f32x4.mul (local.get $x) (f32x4.splat (f32.const 1.44269504088896341)))))
    (local.set $r (f32x4.sub (local.get $x) (f32x4.mul (local.get $fx) (f32x4.splat (f32.const 0.693359375)))))
    (local.set $r (f32x4.add (local.get $r) (f32x4.mul (local.get $fx) (f32x4.splat (f32.const 2.12194440e-4)))))
    (local.set $y (f32x4.splat (f32.const 1.9875691500e-4)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $r)) (f32x4.splat (f32.const 1.3981999507e-3))))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $r)) (f32x4.splat (f32.const 8.3334519073e-3))))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $r)) (f32x4.splat (f32.const 4.1665795894e-2))))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $r)) (f32x4.splat (f32.const 1.6666665459e-1))))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $r)) (f32x4.splat (f32.const 5.0000001201e-1))))
    (local.set $y (f32x4.add (f32x4.add (f32x4.mul (local.get $y) (f32x4.mul (local.get $r) (local.get $r)))
                                        (local.get $r))
                             (f32x4.splat (f32.const 1))))
    ;; multiply by 2^n built directly in the exponent field
    (f32x4.mul (local.get $y)
      (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $fx)) (i32x4.splat (i32.const 127)))
                 (i32.const 23))))

  ;; sigmoid(x) = 1 / (1 + exp(-x)); saturates cleanly at both ends because exp is clamped.
  (func $sigmoid4 (param $x v128) (result v128)
    (f32x4.div (f32x4.splat (f32.const 1))
               (f32x4.add (f32x4.splat (f32.const 1)) (call $exp4 (f32x4.neg (local.get $x))))))

  ;; tanh: |x| < 0.625 uses the Cephes odd polynomial (no cancellation near 0);
  ;; otherwise (1 - e) / (1 + e) with e = exp(-2|x|), sign restored from x.
  (func $tanh4 (param $x v128) (result v128)
    (local $ax v128) (local $e v128) (local $z v128) (local $small v128) (local $big v128)
    (local.set $ax (f32x4.abs (local.get $x)))
    (local.set $e (call $exp4 (f32x4.mul (local.get $ax) (f32x4.splat (f32.const -2)))))
    (local.set $big (f32x4.div (f32x4.sub (f32x4.splat (f32.const 1)) (local.get $e))
                               (f32x4.add (f32x4.splat (f32.const 1)) (local.get $e))))
    (local.set $big (v128.or (local.get $big)
                             (v128.and (local.get $x) (i32x4.splat (i32.const 0x80000000)))))
    (local.set $z (f32x4.mul (local.get $x) (local.get $x)))
    (local.set $small (f32x4.splat (f32.const -5.70498872745e-3)))
    (local.set $small (f32x4.add (f32x4.mul (local.get $small) (local.get $z)) (f32x4.splat (f32.const 2.06390887954e-2))))
    (local.set $small (f32x4.add (f32x4.mul (local.get $small) (local.get $z)) (f32x4.splat (f32.const -5.37397155531e-2))))
    (local.set $small (f32x4.add (f32x4.mul (local.get $small) (local.get $z)) (f32x4.splat (f32.const 1.33314422036e-1))))
    (local.set $small (f32x4.add (f32x4.mul (local.get $small) (local.get $z)) (f32x4.splat (f32.const -3.33332819422e-1))))
    (local.set $small (f32x4.add (f32x4.mul (f32x4.mul (local.get $small) (local.get $z)) (local.get $x))
                                 (local.get $x)))
    (v128.bitselect (local.get $small) (local.get $big)
                    (f32x4.lt (local.get $ax) (f32x4.splat (f32.const 0.625)))))

  ;; bias (per column, optional) + activation on 4 lanes. act: 0 linear, 1 relu, 2 sigmoid, 3 tanh.
  (func $bias_act4 (param $v v128) (param $act i32) (result v128)
    (if (i32.eq (local.get $act) (i32.const 1))
      (then (return (f32x4.max (local.get $v) (f32x4.splat (f32.const 0))))))
    (if (i32.eq (local.get $act) (i32.const 2))
      (then (return (call $sigmoid4 (local.get $v)))))
    (if (i32.eq (local.get $act) (i32.const 3))
      (then (return (call $tanh4 (local.get $v)))))
    (local.get $v))

  ;; ---------------------------------------------------------------------------------------
  ;; In place on C (m x n, row-major, dense): C[i][j] = act(C[i][j] + bias[j]).
  ;; hasBias = 0 skips the bias. Tails (n mod 4) run the same vector code on a splatted lane.
  (func $bias_act (export "bias_act") (param $c i32) (param $m i32) (param $n i32)
                  (param $bias i32) (param $hasBias i32) (param $act i32)
    (local $i i32) (local $j i32) (local $bp i32) (local $v v128)
    (if (i32.or (i32.eqz (local.get $m)) (i32.eqz (local.get $n))) (then (return)))
    (local.set $i (local.get $m))
    (loop $rows
      (local.set $bp (local.get $bias))
      (local.set $j (i32.const 4))
      (block $done4
        (loop $cols4
          (br_if $done4 (i32.gt_u (local.get $j) (local.get $n)))
          (local.set $v (v128.load (local.get $c)))
          (if (local.get $hasBias)
            (then (local.set $v (f32x4.add (local.get $v) (v128.load (local.get $bp))))))
          ;; relu inline: it is the common case and must not pay for a call
          (if (i32.eq (local.get $act) (i32.const 1))
            (then (local.set $v (f32x4.max (local.get $v) (f32x4.splat (f32.const 0)))))
            (else (if (local.get $act)
                    (then (local.set $v (call $bias_act4 (local.get $v) (local.get $act)))))))
          (v128.store (local.get $c) (local.get $v))
          (local.set $c (i32.add (local.get $c) (i32.const 16)))
          (local.set $bp (i32.add (local.get $bp) (i32.const 16)))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $cols4)))
      (local.set $j (i32.sub (local.get $j) (i32.const 4)))
      (block $done1
        (loop $cols1
          (br_if $done1 (i32.ge_u (local.get $j) (local.get $n)))
          (local.set $v (f32x4.splat (f32.load (local.get $c))))
          (if (local.get $hasBias)
            (then (local.set $v (f32x4.add (local.get $v) (f32x4.splat (f32.load (local.get $bp)))))))
          (f32.store (local.get $c)
                     (f32x4.extract_lane 0 (call $bias_act4 (local.get $v) (local.get $act))))
          (local.set $c (i32.add (local.get $c) (i32.const 4)))
          (local.set $bp (i32.add (local.get $bp) (i32.const 4)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $cols1)))
      (br_if $rows (local.tee $i (i32.sub (local.get $i) (i32.const 1))))))

  ;; ---------------------------------------------------------------------------------------
  ;; C (m x n, dense row-major, at c) = op(A) * op(B), then optional bias + activation.
  ;;   A at a: m x k row-major, or k x m when transA.  B at b: k x n, or n x k when transB.
  ;;   packA needs 4*ceil(mc/4)*kc floats, packB 8*ceil(n/8)*kc floats (kc <= kcMax), and
  ;;   scratch 32 floats. m, n, k >= 1 (the caller handles empty shapes).
  (func (export "matmul")
        (param $a i32) (param $b i32) (param $c i32)
        (param $m i32) (param $k i32) (param $n i32)
        (param $transA i32) (param $transB i32)
        (param $packA i32) (param $packB i32) (param $scratch i32)
        (param $bias i32) (param $hasBias i32) (param $act i32)
        (param $kcMax i32) (param $mcMax i32)
    (local $aI i32) (local $aP i32) (local $bP i32) (local $bJ i32)
    (local $kcb i32) (local $nblk i32) (local $pc i32) (local $kc i32)
    (local $ic i32) (local $mc i32) (local $i0 i32) (local $j0 i32)
    (local $pa i32) (local $pb i32) (local $accum i32) (local $cp i32)
    (local $rows i32) (local $cols i32) (local $r i32) (local $q i32)
    (local $sp i32) (local $tp i32)
    ;; element strides: A(i,p) = a[i*aI + p*aP], B(p,j) = b[p*bP + j*bJ]
    (if (local.get $transA)
      (then (local.set $aI (i32.const 1)) (local.set $aP (local.get $m)))
      (else (local.set $aI (local.get $k)) (local.set $aP (i32.const 1))))
    (if (local.get $transB)
      (then (local.set $bP (i32.const 1)) (local.set $bJ (local.get $k)))
      (else (local.set $bP (local.get $n)) (local.set $bJ (i32.const 1))))
    ;; near-equal k blocks: 784 with kcMax 256 -> 4 x 196 rather than 3 x 256 + 16
    (local.set $nblk (i32.div_u (i32.add (local.get $k) (i32.sub (local.get $kcMax) (i32.const 1)))
                                (local.get $kcMax)))
    (local.set $kcb (i32.div_u (i32.add (local.get $k) (i32.sub (local.get $nblk) (i32.const 1)))
                               (local.get $nblk)))
    (local.set $pc (i32.const 0))
    (loop $kblocks
      (local.set $kc (i32.sub (local.get $k) (local.get $pc)))
      (if (i32.gt_u (local.get $kc) (local.get $kcb)) (then (local.set $kc (local.get $kcb))))
      (local.set $accum (i32.ne (local.get $pc) (i32.const 0)))
      ;; pack B[pc:pc+kc, :] into ceil(n/8) panels of kc x 8
      (local.set $j0 (i32.const 0))
      (local.set $pb (local.get $packB))
      (loop $packb
        (local.set $cols (i32.sub (local.get $n) (local.get $j0)))
        (if (i32.gt_u (local.get $cols) (i32.const 8)) (then (local.set $cols (i32.const 8))))
        (call $pack
          (i32.add (local.get $b)
                   (i32.shl (i32.add (i32.mul (local.get $pc) (local.get $bP))
                                     (i32.mul (local.get $j0) (local.get $bJ)))
                            (i32.const 2)))
          (local.get $bJ) (local.get $bP) (local.get $cols) (i32.const 8)
          (local.get $kc) (local.get $pb))
        (local.set $pb (i32.add (local.get $pb) (i32.shl (local.get $kc) (i32.const 5))))
        (br_if $packb (i32.lt_u (local.tee $j0 (i32.add (local.get $j0) (i32.const 8)))
                                (local.get $n))))
      (local.set $ic (i32.const 0))
      (loop $mblocks
        (local.set $mc (i32.sub (local.get $m) (local.get $ic)))
        (if (i32.gt_u (local.get $mc) (local.get $mcMax)) (then (local.set $mc (local.get $mcMax))))
        ;; pack A[ic:ic+mc, pc:pc+kc] into ceil(mc/4) strips of kc x 4
        (local.set $i0 (i32.const 0))
        (local.set $pa (local.get $packA))
        (loop $packa
          (local.set $rows (i32.sub (local.get $mc) (local.get $i0)))
          (if (i32.gt_u (local.get $rows) (i32.const 4)) (then (local.set $rows (i32.const 4))))
          (call $pack
            (i32.add (local.get $a)
                     (i32.shl (i32.add (i32.mul (i32.add (local.get $ic) (local.get $i0))
                                                (local.get $aI))
                                       (i32.mul (local.get $pc) (local.get $aP)))
                              (i32.const 2)))
            (local.get $aI) (local.get $aP) (local.get $rows) (i32.const 4)
            (local.get $kc) (local.get $pa))
          (local.set $pa (i32.add (local.get $pa) (i32.shl (local.get $kc) (i32.const 4))))
          (br_if $packa (i32.lt_u (local.tee $i0 (i32.add (local.get $i0) (i32.const 4)))
                                  (local.get $mc))))
        ;; tiles: a B panel (kc x 8) stays in L1 while the A strips stream through it
        (local.set $j0 (i32.const 0))
        (local.set $pb (local.get $packB))
        (loop $jtiles
          (local.set $cols (i32.sub (local.get $n) (local.get $j0)))
          (if (i32.gt_u (local.get $cols) (i32.const 8)) (then (local.set $cols (i32.const 8))))
          (local.set $i0 (i32.const 0))
          (local.set $pa (local.get $packA))
          (loop $itiles
            (local.set $rows (i32.sub (local.get $mc) (local.get $i0)))
            (if (i32.gt_u (local.get $rows) (i32.const 4)) (then (local.set $rows (i32.const 4))))
            (local.set $cp (i32.add (local.get $c)
                                    (i32.shl (i32.add (i32.mul (i32.add (local.get $ic) (local.get $i0))
                                                               (local.get $n))
                                                      (local.get $j0))
                                             (i32.const 2))))
            (if (i32.and (i32.eq (local.get $rows) (i32.const 4)) (i32.eq (local.get $cols) (i32.const 8)))
              (then
                (call $ukernel (local.get $pa) (local.get $pb) (local.get $cp)
                               (i32.shl (local.get $n) (i32.const 2)) (local.get $kc) (local.get $accum)))
              (else
                ;; edge tile: compute the full 4x8 into scratch, copy the valid part
                (if (local.get $accum)
                  (then
                    (local.set $r (i32.const 0))
                    (loop $ein
                      (local.set $q (i32.const 0))
                      (local.set $sp (i32.add (local.get $cp)
                                              (i32.shl (i32.mul (local.get $r) (local.get $n)) (i32.const 2))))
                      (local.set $tp (i32.add (local.get $scratch) (i32.shl (local.get $r) (i32.const 5))))
                      (loop $einc
                        (f32.store (local.get $tp) (f32.load (local.get $sp)))
                        (local.set $sp (i32.add (local.get $sp) (i32.const 4)))
                        (local.set $tp (i32.add (local.get $tp) (i32.const 4)))
                        (br_if $einc (i32.lt_u (local.tee $q (i32.add (local.get $q) (i32.const 1)))
                                               (local.get $cols))))
                      (br_if $ein (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1)))
                                            (local.get $rows))))))
                (call $ukernel (local.get $pa) (local.get $pb) (local.get $scratch)
                               (i32.const 32) (local.get $kc) (local.get $accum))
                (local.set $r (i32.const 0))
                (loop $eout
                  (local.set $q (i32.const 0))
                  (local.set $sp (i32.add (local.get $cp)
                                          (i32.shl (i32.mul (local.get $r) (local.get $n)) (i32.const 2))))
                  (local.set $tp (i32.add (local.get $scratch) (i32.shl (local.get $r) (i32.const 5))))
                  (loop $eoutc
                    (f32.store (local.get $sp) (f32.load (local.get $tp)))
                    (local.set $sp (i32.add (local.get $sp) (i32.const 4)))
                    (local.set $tp (i32.add (local.get $tp) (i32.const 4)))
                    (br_if $eoutc (i32.lt_u (local.tee $q (i32.add (local.get $q) (i32.const 1)))
                                            (local.get $cols))))
                  (br_if $eout (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1)))
                                         (local.get $rows))))))
            (local.set $pa (i32.add (local.get $pa) (i32.shl (local.get $kc) (i32.const 4))))
            (br_if $itiles (i32.lt_u (local.tee $i0 (i32.add (local.get $i0) (i32.const 4)))
                                     (local.get $mc))))
          (local.set $pb (i32.add (local.get $pb) (i32.shl (local.get $kc) (i32.const 5))))
          (br_if $jtiles (i32.lt_u (local.tee $j0 (i32.add (local.get $j0) (i32.const 8)))
                                   (local.get $n))))
        (br_if $mblocks (i32.lt_u (local.tee $ic (i32.add (local.get $ic) (local.get $mcMax)))
                                  (local.get $m))))
      (br_if $kblocks (i32.lt_u (local.tee $pc (i32.add (local.get $pc) (local.get $kc)))
                                (local.get $k))))
    (if (i32.or (local.get $hasBias) (local.get $act))
      (then (call $bias_act (local.get $c) (local.get $m) (local.get $n)
                            (local.get $bias) (local.get $hasBias) (local.get $act)))))
)
