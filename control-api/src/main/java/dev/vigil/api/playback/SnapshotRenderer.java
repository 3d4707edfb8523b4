package dev.vigil.api.playback;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Draws detection boxes on a sampled frame for an alert snapshot: each box outlined with its label above it,
 * people in red, faces in yellow, anything else in cyan; the JDK decodes and encodes the JPEG (no native code).
 */
final class SnapshotRenderer {

    /** Most boxes one snapshot draws (and the parameter may carry). */
    static final int MAX_BOXES = 50;

    /** One box in relative coordinates. */
    record Box(String label, double x, double y, double w, double h) {
    }

    private SnapshotRenderer() {
    }

    /**
     * Parses the {@code boxes} parameter ({@code label:x,y,w,h} separated by ';', relative coordinates in [0, 1]);
     * {@link IllegalArgumentException} with a message for the client when malformed.
     */
    static List<Box> parse(String boxes) {
        List<Box> out = new ArrayList<>();
        if (boxes == null || boxes.isBlank()) {
            return out;
        }
        String[] items = boxes.split(";");
        if (items.length > MAX_BOXES) {
            throw new IllegalArgumentException("at most " + MAX_BOXES + " boxes");
        }
        for (String item : items) {
            int colon = item.indexOf(':');
            String[] numbers = item.substring(colon + 1).split(",");
            if (colon <= 0 || numbers.length != 4) {
                throw new IllegalArgumentException("each box is label:x,y,w,h");
            }
            double[] v = new double[4];
            for (int i = 0; i < 4; i++) {
                try {
                    v[i] = Double.parseDouble(numbers[i]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("box coordinates are numbers between 0 and 1");
                }
                if (!(v[i] >= 0 && v[i] <= 1)) {
                    throw new IllegalArgumentException("box coordinates are numbers between 0 and 1");
                }
            }
            out.add(new Box(item.substring(0, colon), v[0], v[1], v[2], v[3]));
        }
        return out;
    }

    /** The frame with {@code boxes} drawn, as a JPEG. */
    static byte[] render(byte[] jpeg, List<Box> boxes) throws IOException {
        BufferedImage frame = ImageIO.read(new ByteArrayInputStream(jpeg));
        if (frame == null) {
            throw new IOException("the frame is not a readable JPEG");
        }
        BufferedImage image = new BufferedImage(frame.getWidth(), frame.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.drawImage(frame, 0, 0, null);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            int stroke = Math.max(2, image.getWidth() / 200);
            g.setStroke(new BasicStroke(stroke));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(11, image.getWidth() / 45)));
            for (Box b : boxes) {
                int x = (int) Math.round(b.x() * image.getWidth());
                int y = (int) Math.round(b.y() * image.getHeight());
                int w = (int) Math.round(b.w() * image.getWidth());
                int h = (int) Math.round(b.h() * image.getHeight());
                g.setColor(colour(b.label()));
                g.drawRect(x, y, w, h);
                int textY = y > g.getFontMetrics().getAscent() + stroke ? y - stroke : y + h + g.getFontMetrics().getAscent();
                g.drawString(b.label(), x, textY);
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length + 4096);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.85f);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    static Color colour(String label) {
        return switch (label.toLowerCase(Locale.ROOT)) {
            case "person", "people" -> new Color(230, 40, 40);
            case "face", "faces" -> new Color(250, 210, 0);
            default -> new Color(0, 200, 220);
        };
    }
}
