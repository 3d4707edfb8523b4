package dev.vigil.indexer.scene;

import java.util.List;

/**
 * What the OpenCV engine measured on one frame: the input of a scene window's record.
 *
 * @param captureTs  capture time of the frame, epoch ms
 * @param width      analysed width (after down-scaling)
 * @param height     analysed height
 * @param motion     fraction of the picture that moved (MOG2 foreground), [0, 1]
 * @param brightness mean luma, [0, 1]
 * @param contrast   standard deviation of luma, [0, 1]
 * @param sharpness  variance of the Laplacian of luma (low: blurred or covered)
 * @param fresh      whether people and faces were detected on this frame; otherwise they are carried
 *                   over from the stream's last detection (detections run at most once per interval)
 * @param people     people boxes
 * @param faces      face boxes
 */
public record FrameAnalysis(long captureTs, int width, int height, double motion, double brightness,
        double contrast, double sharpness, boolean fresh, List<Box> people, List<Box> faces) {

    public FrameAnalysis {
        people = List.copyOf(people);
        faces = List.copyOf(faces);
    }
}
