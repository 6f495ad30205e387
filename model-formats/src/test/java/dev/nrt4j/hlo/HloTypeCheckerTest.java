package dev.nrt4j.hlo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.text.HloTextParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each rule of {@link HloTypeChecker} on a small program it accepts and one it refuses. */
class HloTypeCheckerTest {

    private static HloModule parse(String body) {
        return HloTextParser.parse("HloModule m\n" + body, "test");
    }

    private static void refused(String body, String... fragments) {
        assertThatThrownBy(() -> parse(body))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                .hasMessageContaining("type-check HLO module 'm'")
                .satisfies(e -> {
                    for (String f : fragments) {
                        assertThat(e.getMessage()).contains(f);
                    }
                });
    }

    /** Scalar computations the one-line programs below may call: a reducer, a comparator, a non-scalar reducer. */
    private static final String SCALAR_COMPUTATIONS = """
            sum {
              a = f32[] parameter(0)
              b = f32[] parameter(1)
              ROOT s = f32[] add(a, b)
            }
            ge {
              a = f32[] parameter(0)
              b = f32[] parameter(1)
              ROOT c = pred[] compare(a, b), direction=GE
            }
            vsum {
              a = f32[2] parameter(0)
              b = f32[2] parameter(1)
              ROOT s = f32[2] add(a, b)
            }
            """;

    private static String entry(String params, String root) {
        return SCALAR_COMPUTATIONS + "ENTRY main {\n" + params.replace(";", "\n") + "\n ROOT " + root + "\n}\n";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            add ok         | a = f32[4] parameter(0); b = f32[4] parameter(1) | s = f32[4] add(a, b)
            add mixed fp   | a = bf16[4] parameter(0); b = f32[4] parameter(1) | s = f32[4] add(a, b)
            concat mixed fp| a = bf16[2] parameter(0); b = f32[3] parameter(1) | s = f32[5] concatenate(a, b), dimensions={0}
            unary ok       | a = f32[2,3] parameter(0) | s = f32[2,3] exponential(a)
            compare ok     | a = s32[3] parameter(0); b = s32[3] parameter(1) | s = pred[3] compare(a, b), direction=LT
            select ok      | p = pred[] parameter(0); a = f32[3] parameter(1) | s = f32[3] select(p, a, a)
            clamp ok       | lo = f32[] parameter(0); a = f32[3] parameter(1) | s = f32[3] clamp(lo, a, lo)
            convert ok     | a = s32[2,2] parameter(0) | s = bf16[2,2] convert(a)
            reshape ok     | a = f32[2,3] parameter(0) | s = f32[3,2,1] reshape(a)
            broadcast ok   | a = f32[3] parameter(0) | s = f32[2,3] broadcast(a), dimensions={1}
            transpose ok   | a = f32[2,3,4] parameter(0) | s = f32[4,2,3] transpose(a), dimensions={2,0,1}
            slice ok       | a = f32[10] parameter(0) | s = f32[3] slice(a), slice={[1:8:3]}
            concat ok      | a = f32[2,3] parameter(0); b = f32[5,3] parameter(1) | s = f32[7,3] concatenate(a, b), dimensions={0}
            dot ok         | a = f32[7,2,3] parameter(0); b = f32[7,3,5] parameter(1) | s = f32[7,2,5] dot(a, b), lhs_batch_dims={0}, rhs_batch_dims={0}, lhs_contracting_dims={2}, rhs_contracting_dims={1}
            dot preferred  | a = bf16[2,3] parameter(0); b = bf16[3,5] parameter(1) | s = f32[2,5] dot(a, b), lhs_contracting_dims={1}, rhs_contracting_dims={0}
            gte ok         | t = (f32[], s32[2]) parameter(0) | s = s32[2] get-tuple-element(t), index=1
            constant ok    | a = f32[] parameter(0) | s = f32[2] constant({1, 2})
            reduce-window  | a = f32[4,6] parameter(0); z = f32[] constant(0) | s = f32[2,3] reduce-window(a, z), window={size=2x2 stride=2x2}, to_apply=sum
            reduce-window padded | a = f32[4] parameter(0); z = f32[] constant(0) | s = f32[4] reduce-window(a, z), window={size=3 pad=1_1}, to_apply=sum
            select-and-scatter | a = f32[4,6] parameter(0); src = f32[2,3] parameter(1); z = f32[] constant(0) | s = f32[4,6] select-and-scatter(a, src, z), window={size=2x2 stride=2x2}, select=ge, scatter=sum
            map ok         | a = f32[3] parameter(0); b = f32[3] parameter(1) | s = f32[3] map(a, b), dimensions={0}, to_apply=sum
            map result type| a = f32[3] parameter(0); b = f32[3] parameter(1) | s = pred[3] map(a, b), dimensions={0}, to_apply=ge
            scatter ok     | a = f32[5,3] parameter(0); i = s32[2,1] parameter(1); u = f32[2,3] parameter(2) | s = f32[5,3] scatter(a, i, u), update_window_dims={1}, inserted_window_dims={0}, scatter_dims_to_operand_dims={0}, index_vector_dim=1, to_apply=sum
            scatter implicit| a = f32[5,3] parameter(0); i = s32[2] parameter(1); u = f32[2,2] parameter(2) | s = f32[5,3] scatter(a, i, u), update_window_dims={1}, inserted_window_dims={0}, scatter_dims_to_operand_dims={0}, index_vector_dim=1, to_apply=sum
            gather ok      | a = f32[5,3] parameter(0); i = s32[2,1] parameter(1) | s = f32[2,3] gather(a, i), offset_dims={1}, collapsed_slice_dims={0}, start_index_map={0}, index_vector_dim=1, slice_sizes={1,3}
            gather offsets first | a = f32[5,3] parameter(0); i = s32[4,2] parameter(1) | s = f32[2,2,4] gather(a, i), offset_dims={0,1}, collapsed_slice_dims={}, start_index_map={0,1}, index_vector_dim=1, slice_sizes={2,2}
            sort ok        | a = f32[4,2] parameter(0) | s = f32[4,2] sort(a), dimensions={0}, to_apply=ge
            pad ok         | a = f32[4] parameter(0); z = f32[] constant(0) | s = f32[10] pad(a, z), padding=1_2_1
            pad crop       | a = f32[4,3] parameter(0); z = f32[] constant(0) | s = f32[2,3] pad(a, z), padding=-1_-1x0_0
            iota ok        | a = f32[] parameter(0) | s = s32[2,3] iota(), iota_dimension=1
            conv ok        | a = f32[1,5,5,2] parameter(0); k = f32[3,3,2,4] parameter(1) | s = f32[1,3,3,4] convolution(a, k), window={size=3x3}, dim_labels=b01f_01io->b01f
            conv strided padded | a = f32[1,2,5,5] parameter(0); k = f32[4,2,3,3] parameter(1) | s = f32[1,4,3,3] convolution(a, k), window={size=3x3 stride=2x2 pad=1_1x1_1}, dim_labels=bf01_oi01->bf01
            conv groups    | a = f32[1,5,5,4] parameter(0); k = f32[3,3,2,4] parameter(1) | s = f32[1,3,3,4] convolution(a, k), window={size=3x3}, dim_labels=b01f_01io->b01f, feature_group_count=2
            conv batch groups | a = f32[4,5,5,2] parameter(0); k = f32[3,3,2,4] parameter(1) | s = f32[1,3,3,4] convolution(a, k), window={size=3x3}, dim_labels=b01f_01io->b01f, batch_group_count=4
            conv preferred | a = bf16[1,5,5,2] parameter(0); k = bf16[3,3,2,4] parameter(1) | s = f32[1,3,3,4] convolution(a, k), window={size=3x3}, dim_labels=b01f_01io->b01f
            dynamic-slice  | a = f32[5,4] parameter(0); i = s32[] parameter(1) | s = f32[2,4] dynamic-slice(a, i, i), dynamic_slice_sizes={2,4}
            dynamic-update-slice | a = f32[5,4] parameter(0); u = f32[2,4] parameter(1); i = s32[] parameter(2) | s = f32[5,4] dynamic-update-slice(a, u, i, i)
            reverse ok     | a = f32[2,3] parameter(0) | s = f32[2,3] reverse(a), dimensions={0,1}
            bitcast same   | a = f32[3] parameter(0) | s = s32[3] bitcast-convert(a)
            bitcast narrow | a = f32[3] parameter(0) | s = u8[3,4] bitcast-convert(a)
            bitcast wide   | a = u8[3,4] parameter(0) | s = f32[3] bitcast-convert(a)
            reduce-precision | a = f32[3] parameter(0) | s = f32[3] reduce-precision(a), exponent_bits=5, mantissa_bits=10
            all-reduce     | a = f32[3] parameter(0) | s = f32[3] all-reduce(a), replica_groups={}, to_apply=sum
            all-reduce tuple | a = f32[3] parameter(0); b = s32[2] parameter(1) | s = (f32[3], s32[2]) all-reduce(a, b), replica_groups={{0,1}}, to_apply=sum
            all-gather     | a = f32[2,3] parameter(0) | s = f32[2,12] all-gather(a), replica_groups={{0,1,2,3}}, dimensions={1}
            all-gather all | a = f32[2,3] parameter(0) | s = f32[2,9] all-gather(a), dimensions={1}
            reduce-scatter | a = f32[8] parameter(0) | s = f32[2] reduce-scatter(a), replica_groups={{0,1,2,3}}, dimensions={0}, to_apply=sum
            all-to-all     | a = f32[4,2] parameter(0) | s = f32[4,2] all-to-all(a), replica_groups={{0,1}}, dimensions={0}
            all-to-all tuple | a = f32[2] parameter(0) | s = (f32[2], f32[2]) all-to-all(a, a), replica_groups={{0,1}}
            collective-permute | a = f32[3] parameter(0) | s = f32[3] collective-permute(a), source_target_pairs={{0,1},{1,0}}
            get-dimension-size | a = f32[2,3] parameter(0) | s = s32[] get-dimension-size(a), dimensions={1}
            fft ok         | a = c64[3,8] parameter(0) | s = c64[3,8] fft(a), fft_type=FFT, fft_length={8}
            rfft ok        | a = f32[3,8] parameter(0) | s = c64[3,5] fft(a), fft_type=RFFT, fft_length={8}
            irfft ok       | a = c64[3,5] parameter(0) | s = f32[3,8] fft(a), fft_type=IRFFT, fft_length={8}
            cholesky ok    | a = f32[2,3,3] parameter(0) | s = f32[2,3,3] cholesky(a), lower=true
            triangular-solve left | a = f32[2,3,3] parameter(0); b = f32[2,3,5] parameter(1) | s = f32[2,3,5] triangular-solve(a, b), left_side=true, lower=true, transpose_a=NO_TRANSPOSE
            triangular-solve right | a = f32[3,3] parameter(0); b = f32[5,3] parameter(1) | s = f32[5,3] triangular-solve(a, b), left_side=false, lower=true, transpose_a=TRANSPOSE
            rng-bit-generator | a = u64[2] parameter(0) | s = (u64[2], u32[4,4]) rng-bit-generator(a), algorithm=rng_three_fry
            custom-call unknown | a = f32[2,3] parameter(0) | s = (s8[7], f32[]) custom-call(a), custom_call_target="SomethingNew"
            """)
    void accepts(String name, String params, String root) {
        assertThat(parse(entry(params, root)).entry().root().name()).isEqualTo("s");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            add operand    | a = f32[4] parameter(0); b = f32[5] parameter(1) | s = f32[4] add(a, b) | add s: operand 1 is f32[5], expected f32[4] like operand 0
            add type       | a = f32[4] parameter(0); b = s32[4] parameter(1) | s = f32[4] add(a, b) | operand 1 is s32[4], expected f32[4]
            add mixed int  | a = f32[4] parameter(0); b = bf16[4] parameter(1) | s = s32[4] add(a, b) | add s: declares s32[4], expected a floating-point result
            add result     | a = f32[4] parameter(0); b = f32[4] parameter(1) | s = f32[5] add(a, b) | add s: declares f32[5], inferred f32[4]
            unary result   | a = f32[2,3] parameter(0) | s = f16[2,3] negate(a) | negate s: declares f16[2,3], inferred f32[2,3]
            compare result | a = s32[3] parameter(0); b = s32[3] parameter(1) | s = s32[3] compare(a, b), direction=LT | compare s: declares s32[3], inferred pred[3]
            select pred    | p = s32[] parameter(0); a = f32[3] parameter(1) | s = f32[3] select(p, a, a) | select s: operand 0 is s32[], expected a pred
            select dims    | p = pred[2] parameter(0); a = f32[3] parameter(1) | s = f32[3] select(p, a, a) | operand 0 is pred[2]
            clamp bound    | lo = f32[2] parameter(0); a = f32[3] parameter(1) | s = f32[3] clamp(lo, a, lo) | clamp s: operand 0 is f32[2]
            convert dims   | a = s32[2,2] parameter(0) | s = bf16[4] convert(a) | convert s: declares bf16[4], inferred bf16[2,2]
            reshape count  | a = f32[2,3] parameter(0) | s = f32[7] reshape(a) | reshape s: declares f32[7] (7 elements) from operand 0 f32[2,3] (6 elements)
            broadcast dims | a = f32[3] parameter(0) | s = f32[3,2] broadcast(a), dimensions={1} | broadcast s: dimensions=[1] maps dimension 0 of operand 0 f32[3]
            broadcast rank | a = f32[3] parameter(0) | s = f32[2,3] broadcast(a), dimensions={0,1} | must name one result dimension
            transpose perm | a = f32[2,3] parameter(0) | s = f32[3,2] transpose(a), dimensions={1,1} | transpose s: dimensions=[1, 1] is not a permutation
            transpose dims | a = f32[2,3] parameter(0) | s = f32[2,3] transpose(a), dimensions={1,0} | transpose s: declares f32[2,3], inferred f32[3,2]
            slice bounds   | a = f32[10] parameter(0) | s = f32[3] slice(a), slice={[8:11:1]} | slice s: slice [8:11:1] of dimension 0 is out of the bounds of operand 0 f32[10]
            slice result   | a = f32[10] parameter(0) | s = f32[4] slice(a), slice={[1:8:3]} | slice s: declares f32[4], inferred f32[3]
            concat dims    | a = f32[2,3] parameter(0); b = f32[5,4] parameter(1) | s = f32[7,3] concatenate(a, b), dimensions={0} | concatenate s: operand 1 is f32[5,4], expected f32[2,3]
            concat result  | a = f32[2,3] parameter(0); b = f32[5,3] parameter(1) | s = f32[8,3] concatenate(a, b), dimensions={0} | declares f32[8,3], inferred f32[7,3]
            dot contract   | a = f32[2,3] parameter(0); b = f32[4,5] parameter(1) | s = f32[2,5] dot(a, b), lhs_contracting_dims={1}, rhs_contracting_dims={0} | dot s: contracting dimension 1 of operand 0 f32[2,3] is 3, dimension 0 of operand 1 f32[4,5] is 4
            dot result     | a = f32[2,3] parameter(0); b = f32[3,5] parameter(1) | s = f32[5,2] dot(a, b), lhs_contracting_dims={1}, rhs_contracting_dims={0} | dot s: declares f32[5,2], inferred f32[2,5]
            dot range      | a = f32[2,3] parameter(0); b = f32[3,5] parameter(1) | s = f32[2,5] dot(a, b), lhs_contracting_dims={2}, rhs_contracting_dims={0} | do not name distinct dimensions
            dot too large  | a = f32[1073741824,4] parameter(0); b = f32[4,1073741824] parameter(1) | s = f32[1,1] dot(a, b), lhs_contracting_dims={1}, rhs_contracting_dims={0} | dot s: the inferred shape is not a valid array
            gte index      | t = (f32[], s32[2]) parameter(0) | s = s32[2] get-tuple-element(t), index=2 | get-tuple-element s: index=2 is out of range for operand 0 (f32[], s32[2])
            gte shape      | t = (f32[], s32[2]) parameter(0) | s = f32[2] get-tuple-element(t), index=1 | get-tuple-element s: declares f32[2], inferred s32[2]
            tuple shape    | a = f32[] parameter(0) | s = (f32[], s32[]) tuple(a, a) | tuple s: declares (f32[], s32[]), inferred (f32[], f32[])
            reduce-window result | a = f32[4,6] parameter(0); z = f32[] constant(0) | s = f32[2,2] reduce-window(a, z), window={size=2x2 stride=2x2}, to_apply=sum | reduce-window s: declares f32[2,2], expected dimensions [2, 3] (the window over operand 0 f32[4,6])
            reduce-window rank | a = f32[4,6] parameter(0); z = f32[] constant(0) | s = f32[2] reduce-window(a, z), window={size=2 stride=2}, to_apply=sum | reduce-window s: window has 1 dimensions, operand 0 f32[4,6] has 2
            reduce-window reducer | a = f32[4] parameter(0); z = f32[] constant(0) | s = f32[2] reduce-window(a, z), window={size=2 stride=2}, to_apply=vsum | reduce-window s: to_apply vsum parameter 0 is f32[2], expected a scalar
            select-and-scatter source | a = f32[4,6] parameter(0); src = f32[2,2] parameter(1); z = f32[] constant(0) | s = f32[4,6] select-and-scatter(a, src, z), window={size=2x2 stride=2x2}, select=ge, scatter=sum | select-and-scatter s: operand 1 is f32[2,2], expected the dimensions [2, 3] of the window over operand 0 f32[4,6]
            select-and-scatter select | a = f32[4,6] parameter(0); src = f32[2,3] parameter(1); z = f32[] constant(0) | s = f32[4,6] select-and-scatter(a, src, z), window={size=2x2 stride=2x2}, select=sum, scatter=sum | select-and-scatter s: select sum returns f32[], expected pred[]
            map dims       | a = f32[3] parameter(0); b = f32[4] parameter(1) | s = f32[3] map(a, b), dimensions={0}, to_apply=sum | map s: operand 1 is f32[4], expected the dimensions of operand 0 f32[3]
            map result     | a = f32[3] parameter(0); b = f32[3] parameter(1) | s = s32[3] map(a, b), dimensions={0}, to_apply=sum | map s: declares s32[3], inferred f32[3]
            scatter window | a = f32[5,3] parameter(0); i = s32[2,1] parameter(1); u = f32[2,4] parameter(2) | s = f32[5,3] scatter(a, i, u), update_window_dims={1}, inserted_window_dims={0}, scatter_dims_to_operand_dims={0}, index_vector_dim=1, to_apply=sum | scatter s: window dimension 1 of update f32[2,4] is larger than dimension 1 of operand 0 f32[5,3]
            scatter indices| a = f32[5,3] parameter(0); i = s32[2,1] parameter(1); u = f32[3,3] parameter(2) | s = f32[5,3] scatter(a, i, u), update_window_dims={1}, inserted_window_dims={0}, scatter_dims_to_operand_dims={0}, index_vector_dim=1, to_apply=sum | scatter s: scatter dimension 0 of update f32[3,3] differs from the indices s32[2,1]
            scatter result | a = f32[5,3] parameter(0); i = s32[2,1] parameter(1); u = f32[2,3] parameter(2) | s = f32[5,4] scatter(a, i, u), update_window_dims={1}, inserted_window_dims={0}, scatter_dims_to_operand_dims={0}, index_vector_dim=1, to_apply=sum | scatter s: declares f32[5,4], inferred f32[5,3]
            scatter float indices | a = f32[5,3] parameter(0); i = f32[2,1] parameter(1); u = f32[2,3] parameter(2) | s = f32[5,3] scatter(a, i, u), update_window_dims={1}, inserted_window_dims={0}, scatter_dims_to_operand_dims={0}, index_vector_dim=1, to_apply=sum | scatter s: operand 1 is f32[2,1], expected integer indices
            gather result  | a = f32[5,3] parameter(0); i = s32[2,1] parameter(1) | s = f32[3,2] gather(a, i), offset_dims={1}, collapsed_slice_dims={0}, start_index_map={0}, index_vector_dim=1, slice_sizes={1,3} | gather s: declares f32[3,2], inferred f32[2,3]
            gather collapse| a = f32[5,3] parameter(0); i = s32[2,1] parameter(1) | s = f32[2,3] gather(a, i), offset_dims={1}, collapsed_slice_dims={0}, start_index_map={0}, index_vector_dim=1, slice_sizes={2,3} | gather s: slice_sizes=[2, 3] must be 0 or 1 in collapsed or batching dimension 0
            gather map     | a = f32[5,3] parameter(0); i = s32[2,2] parameter(1) | s = f32[2,3] gather(a, i), offset_dims={1}, collapsed_slice_dims={0}, start_index_map={0}, index_vector_dim=1, slice_sizes={1,3} | gather s: start_index_map=[0] must have one entry per index vector component (2 in operand 1 s32[2,2])
            sort comparator| a = s32[4] parameter(0) | s = s32[4] sort(a), dimensions={0}, to_apply=ge | sort s: comparator ge parameter 0 is f32[], expected s32[] for operand 0 s32[4]
            sort dimension | a = f32[4] parameter(0) | s = f32[4] sort(a), dimensions={1}, to_apply=ge | sort s: dimensions 1 is not a dimension of f32[4]
            pad result     | a = f32[4] parameter(0); z = f32[] constant(0) | s = f32[9] pad(a, z), padding=1_2_1 | pad s: declares f32[9], inferred f32[10]
            pad value      | a = f32[4] parameter(0) | s = f32[9] pad(a, a), padding=0_5 | pad s: operand 1 is f32[4], expected a scalar padding value
            pad value type | a = f32[4] parameter(0); z = s32[] constant(0) | s = f32[4] pad(a, z), padding=0_0 | pad s: operand 1 is s32[], expected a padding value of type f32 like operand 0 f32[4]
            gather too large | a = f32[2,1073741824] parameter(0); i = s32[1073741824,1] parameter(1) | s = f32[1,1] gather(a, i), offset_dims={1}, collapsed_slice_dims={0}, start_index_map={0}, index_vector_dim=1, slice_sizes={1,1073741824} | gather s: the inferred shape is not a valid array
            pad negative   | a = f32[4] parameter(0); z = f32[] constant(0) | s = f32[0] pad(a, z), padding=-3_-2 | pad s: padding -3_-2_0 of dimension 0 of operand 0 f32[4] leaves a negative or overflowing size
            iota dimension | a = f32[] parameter(0) | s = s32[2,3] iota(), iota_dimension=2 | iota s: iota_dimension 2 is not a dimension of s32[2,3]
            conv features  | a = f32[1,5,5,2] parameter(0); k = f32[3,3,3,4] parameter(1) | s = f32[1,3,3,4] convolution(a, k), window={size=3x3}, dim_labels=b01f_01io->b01f | convolution s: input features 2 of operand 0 f32[1,5,5,2] divided into 1 feature groups must equal the kernel's input features 3 of operand 1 f32[3,3,3,4]
            conv result    | a = f32[1,5,5,2] parameter(0); k = f32[3,3,2,4] parameter(1) | s = f32[1,5,5,4] convolution(a, k), window={size=3x3}, dim_labels=b01f_01io->b01f | convolution s: declares f32[1,5,5,4], inferred f32[1,3,3,4]
            conv window    | a = f32[1,5,5,2] parameter(0); k = f32[3,3,2,4] parameter(1) | s = f32[1,4,4,4] convolution(a, k), window={size=2x2}, dim_labels=b01f_01io->b01f | convolution s: window size 2 of spatial dimension 0 differs from its size 3 in operand 1 f32[3,3,2,4]
            conv groups    | a = f32[1,5,5,3] parameter(0); k = f32[3,3,1,4] parameter(1) | s = f32[1,3,3,4] convolution(a, k), window={size=3x3}, dim_labels=b01f_01io->b01f, feature_group_count=3 | convolution s: kernel output features 4 of operand 1 f32[3,3,1,4] and batch 1 of operand 0 f32[1,5,5,3] must be multiples of the group counts (3, 1)
            conv rank      | a = f32[5,5,2] parameter(0); k = f32[3,3,2,4] parameter(1) | s = f32[1,3,3,4] convolution(a, k), window={size=3x3}, dim_labels=b01f_01io->b01f | convolution s: the input dimension numbers (0, 3, spatial [1, 2]) do not name each dimension of f32[5,5,2] once
            dynamic-slice size | a = f32[5,4] parameter(0); i = s32[] parameter(1) | s = f32[6,4] dynamic-slice(a, i, i), dynamic_slice_sizes={6,4} | dynamic-slice s: dynamic_slice_sizes=[6, 4] exceeds dimension 0 of operand 0 f32[5,4]
            dynamic-slice index | a = f32[5,4] parameter(0); i = f32[] parameter(1) | s = f32[2,4] dynamic-slice(a, i, i), dynamic_slice_sizes={2,4} | dynamic-slice s: operand 1 is f32[], expected an integer scalar
            dynamic-slice count | a = f32[5,4] parameter(0); i = s32[] parameter(1) | s = f32[2,4] dynamic-slice(a, i), dynamic_slice_sizes={2,4} | dynamic-slice s: has 1 start indices, expected one per dimension of operand 0 f32[5,4]
            dynamic-update-slice update | a = f32[5,4] parameter(0); u = f32[2,5] parameter(1); i = s32[] parameter(2) | s = f32[5,4] dynamic-update-slice(a, u, i, i) | dynamic-update-slice s: operand 1 is f32[2,5], expected an update of f32 no larger than operand 0 f32[5,4]
            dynamic-update-slice result | a = f32[5,4] parameter(0); u = f32[2,4] parameter(1); i = s32[] parameter(2) | s = f32[2,4] dynamic-update-slice(a, u, i, i) | dynamic-update-slice s: declares f32[2,4], inferred f32[5,4]
            reverse dims   | a = f32[2,3] parameter(0) | s = f32[2,3] reverse(a), dimensions={2} | reverse s: dimensions=[2]: dimension 2 is not a dimension of f32[2,3]
            reverse result | a = f32[2,3] parameter(0) | s = f32[3,2] reverse(a), dimensions={0} | reverse s: declares f32[3,2], inferred f32[2,3]
            bitcast dims   | a = f32[3] parameter(0) | s = s32[4] bitcast-convert(a) | bitcast-convert s: declares s32[4], inferred s32[3]
            bitcast narrow | a = f32[3] parameter(0) | s = u8[3,2] bitcast-convert(a) | bitcast-convert s: declares u8[3,2], inferred u8[3,4]
            bitcast wide   | a = u8[3,2] parameter(0) | s = f32[3] bitcast-convert(a) | bitcast-convert s: operand 0 is u8[3,2]; a bitcast to the wider f32 needs a minor dimension of 4
            reduce-precision type | a = s32[3] parameter(0) | s = s32[3] reduce-precision(a), exponent_bits=5, mantissa_bits=10 | reduce-precision s: operand 0 is s32[3] with exponent_bits=5 mantissa_bits=10; expected a floating-point operand
            reduce-precision result | a = f32[3] parameter(0) | s = bf16[3] reduce-precision(a), exponent_bits=8, mantissa_bits=7 | reduce-precision s: declares bf16[3], inferred f32[3]
            all-reduce result | a = f32[3] parameter(0) | s = f32[4] all-reduce(a), replica_groups={}, to_apply=sum | all-reduce s: declares f32[4], inferred f32[3]
            all-reduce tuple | a = f32[3] parameter(0); b = s32[2] parameter(1) | s = (f32[3], f32[2]) all-reduce(a, b), to_apply=sum | all-reduce s: declares (f32[3], f32[2]), inferred (f32[3], s32[2])
            all-gather groups | a = f32[2,3] parameter(0) | s = f32[2,9] all-gather(a), replica_groups={{0,1,2,3}}, dimensions={1} | all-gather s: declares f32[2,9] for operand 0 f32[2,3]; expected its shape with dimension 1 gathered over 4 group members
            all-gather multiple | a = f32[2,3] parameter(0) | s = f32[2,8] all-gather(a), dimensions={1} | all-gather s: declares f32[2,8] for operand 0 f32[2,3]; expected its shape with dimension 1 gathered over the group (a whole multiple)
            all-gather uneven | a = f32[2,3] parameter(0) | s = f32[2,9] all-gather(a), replica_groups={{0,1},{2}}, dimensions={1} | all-gather s: replica_groups=[[0, 1], [2]] must all have the same, non-zero number of members
            reduce-scatter groups | a = f32[8] parameter(0) | s = f32[4] reduce-scatter(a), replica_groups={{0,1,2,3}}, dimensions={0}, to_apply=sum | reduce-scatter s: declares f32[4] for operand 0 f32[8]; expected its shape with dimension 0 scattered over 4 group members
            all-to-all split | a = f32[3,2] parameter(0) | s = f32[3,2] all-to-all(a), replica_groups={{0,1}}, dimensions={0} | all-to-all s: dimension 0 of operand 0 f32[3,2] does not split into 2 blocks
            all-to-all operands | a = f32[2] parameter(0) | s = (f32[2], f32[2], f32[2]) all-to-all(a, a, a), replica_groups={{0,1}} | all-to-all s: has 3 operands, expected one per group member (2)
            collective-permute result | a = f32[3] parameter(0) | s = f32[4] collective-permute(a), source_target_pairs={{0,1},{1,0}} | collective-permute s: declares f32[4], inferred f32[3]
            get-dimension-size result | a = f32[2,3] parameter(0) | s = f32[] get-dimension-size(a), dimensions={1} | get-dimension-size s: declares f32[], inferred s32[]
            fft length     | a = c64[3,8] parameter(0) | s = c64[3,8] fft(a), fft_type=FFT, fft_length={4} | fft s: fft_length=[4] does not match dimension 1 of operand 0 c64[3,8]
            rfft input     | a = c64[3,8] parameter(0) | s = c64[3,5] fft(a), fft_type=RFFT, fft_length={8} | fft s: operand 0 is c64[3,8], expected f32 or f64 for RFFT
            rfft result    | a = f32[3,8] parameter(0) | s = c64[3,8] fft(a), fft_type=RFFT, fft_length={8} | fft s: declares c64[3,8], inferred c64[3,5]
            cholesky square| a = f32[3,4] parameter(0) | s = f32[3,4] cholesky(a), lower=true | cholesky s: operand 0 is f32[3,4], expected floating-point or complex square matrices
            triangular-solve rows | a = f32[3,3] parameter(0); b = f32[4,5] parameter(1) | s = f32[4,5] triangular-solve(a, b), left_side=true, lower=true, transpose_a=NO_TRANSPOSE | triangular-solve s: operand 1 is f32[4,5]; with left_side=true it must share the type and batch dimensions of operand 0 f32[3,3] and have 3 rows
            triangular-solve result | a = f32[3,3] parameter(0); b = f32[3,5] parameter(1) | s = f32[3,3] triangular-solve(a, b), left_side=true, lower=true, transpose_a=NO_TRANSPOSE | triangular-solve s: declares f32[3,3], inferred f32[3,5]
            rng-bit-generator state | a = u64[2] parameter(0) | s = (u64[3], u32[4,4]) rng-bit-generator(a), algorithm=rng_three_fry | rng-bit-generator s: declares (u64[3], u32[4,4]), inferred (u64[2], u32[4,4])
            get-dimension-size dimension | a = f32[2,3] parameter(0) | s = s32[] get-dimension-size(a), dimensions={2} | get-dimension-size s: dimensions 2 is not a dimension of f32[2,3]
            """)
    void refuses(String name, String params, String root, String message) {
        refused(entry(params, root), "computation 'main'", message);
    }

    private static final String LOOP = """
            cond {
              p = s32[] parameter(0)
              z = s32[] constant(0)
              ROOT c = %s
            }
            body {
              p = s32[] parameter(0)
              one = s32[] constant(1)
              ROOT n = %s
            }
            ENTRY main {
              i = s32[] parameter(0)
              ROOT w = s32[] while(i), condition=cond, body=body
            }
            """;

    @org.junit.jupiter.api.Test
    void whileConditionMustReturnPredAndBodyTheLoopShape() {
        parse(LOOP.formatted("pred[] compare(p, z), direction=LT", "s32[] add(p, one)"));
        refused(
                LOOP.formatted("s32[] add(p, z)", "s32[] add(p, one)"),
                "while w: condition cond returns s32[], expected pred[]");
        refused(
                LOOP.formatted("pred[] compare(p, z), direction=LT", "f32[] convert(p)"),
                "while w: body body returns f32[], expected s32[]");
    }

    private static final String REDUCE = """
            sum {
              a = f32[] parameter(0)
              b = %s parameter(1)
              ROOT s = f32[] add(a, a)
            }
            ENTRY main {
              x = f32[2,3,4] parameter(0)
              z = f32[] constant(0)
              ROOT r = %s reduce(x, z), dimensions={%s}, to_apply=sum
            }
            """;

    @org.junit.jupiter.api.Test
    void reduceRemovesItsDimensionsAndTakesAScalarReducer() {
        parse(REDUCE.formatted("f32[]", "f32[3]", "0,2"));
        refused(REDUCE.formatted("f32[]", "f32[2]", "0,2"), "reduce r: declares f32[2], expected dimensions [3]");
        refused(
                REDUCE.formatted("f32[]", "f32[3]", "0,0"),
                "reduce r: dimensions=[0, 0] must name distinct dimensions");
        refused(
                REDUCE.formatted("f32[3]", "f32[3]", "0,2"),
                "reduce r: to_apply sum parameter 1 is f32[3], expected a scalar");
    }

    private static final String CALL = """
            callee {
              x = f32[4] parameter(0)
              ROOT y = f32[4] negate(x)
            }
            ENTRY main {
              a = %s parameter(0)
              ROOT r = %s call(a), to_apply=callee
            }
            """;

    @org.junit.jupiter.api.Test
    void callSitesMatchTheCalleeSignature() {
        parse(CALL.formatted("f32[4]", "f32[4]"));
        refused(CALL.formatted("f32[5]", "f32[4]"), "call r: callee callee parameter 0 is f32[4], called with f32[5]");
        refused(CALL.formatted("f32[4]", "s32[4]"), "call r: callee callee returns f32[4], expected s32[4]");
    }

    private static final String COND = """
            b0 {
              x = f32[] parameter(0)
              ROOT y = f32[] negate(x)
            }
            b1 {
              x = f32[] parameter(0)
              ROOT y = %s
            }
            ENTRY main {
              p = %s parameter(0)
              a = f32[] parameter(1)
              ROOT r = f32[] conditional(p, a, a), branch_computations={b0, b1}
            }
            """;

    @org.junit.jupiter.api.Test
    void conditionalBranchesAgree() {
        parse(COND.formatted("f32[] exponential(x)", "s32[]"));
        parse(COND.formatted("f32[] exponential(x)", "pred[]"));
        refused(
                COND.formatted("s32[] convert(x)", "s32[]"),
                "conditional r: branch 1 b1 returns s32[], expected f32[]");
        refused(
                COND.formatted("f32[] exponential(x)", "f32[]"),
                "conditional r: operand 0 is f32[], expected pred[] or s32[]");
    }
}
